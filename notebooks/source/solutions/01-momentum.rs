// A solution of notebook 01's "your turn: momentum" cell (crates/trainlab/tests/your_turn.rs
// checks it passes the cell's check in full).
struct MyMomentum {
    beta: f32,
}

impl UpdateRule for MyMomentum {
    fn name(&self) -> &'static str {
        "my momentum"
    }
    fn state_buffers(&self) -> usize {
        1
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        let v = &mut state[0];
        for i in 0..theta.len() {
            v[i] = self.beta * v[i] + grad[i];
            theta[i] -= step.alpha * v[i];
        }
    }
}
