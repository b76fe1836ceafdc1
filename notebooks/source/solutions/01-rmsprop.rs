// A solution of notebook 01's "your turn: RMSProp" cell (crates/trainlab/tests/your_turn.rs
// checks it passes the cell's check in full).
struct MyRmsProp {
    beta: f32,
    eps: f32,
}

impl UpdateRule for MyRmsProp {
    fn name(&self) -> &'static str {
        "my rmsprop"
    }
    fn state_buffers(&self) -> usize {
        1
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        let s = &mut state[0];
        for i in 0..theta.len() {
            let g = grad[i];
            s[i] = self.beta * s[i] + (1.0 - self.beta) * g * g;
            theta[i] -= step.alpha * g / (s[i] + self.eps).sqrt();
        }
    }
}
