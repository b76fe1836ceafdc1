// A solution of notebook 01's "your turn: Adam" cell (crates/trainlab/tests/your_turn.rs
// checks it passes the cell's check in full).
struct MyAdam {
    beta1: f32,
    beta2: f32,
    eps: f32,
}

impl UpdateRule for MyAdam {
    fn name(&self) -> &'static str {
        "my adam"
    }
    fn state_buffers(&self) -> usize {
        2
    }
    fn update(&self, step: Step, theta: &mut [f32], grad: &[f32], state: &mut [Vec<f32>]) {
        let (m, v) = state.split_at_mut(1);
        let (m, v) = (&mut m[0], &mut v[0]);
        let k = step.k as i32;
        let (c1, c2) = (1.0 - self.beta1.powi(k), 1.0 - self.beta2.powi(k));
        for i in 0..theta.len() {
            let g = grad[i];
            m[i] = self.beta1 * m[i] + (1.0 - self.beta1) * g;
            v[i] = self.beta2 * v[i] + (1.0 - self.beta2) * g * g;
            let (m_hat, v_hat) = (m[i] / c1, v[i] / c2);
            theta[i] -= step.alpha * m_hat / (v_hat + self.eps).sqrt();
        }
    }
}
