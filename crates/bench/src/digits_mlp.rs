//! The default digits MLP's shape as a dfdx model, `(Linear<64, 128>, ReLU, Linear<128, 10>)`,
//! and the optimizer step the trainer takes on it: every tensor updated with its gradient buffer
//! borrowed (`Optimizer::update_tensor_in_place`), as `trainlab_training::Mlp::update` does.

use dfdx::prelude::*;
use trainlab_optimizers::{OptimError, Optimizer, UpdateRule};

/// The model type.
pub type DigitsMlp = (Linear<64, 128>, ReLU, Linear<128, 10>);
/// The model as built on the CPU.
pub type BuiltDigitsMlp = <DigitsMlp as BuildOnDevice<Cpu, f32>>::Built;

/// One optimizer step on every parameter of `model`, in the trainer's slot order
/// (w0, b0, w1, b1), borrowing each gradient buffer from `grads`.
pub fn step_in_place<R: UpdateRule>(
    opt: &mut Optimizer<R>,
    model: &mut BuiltDigitsMlp,
    grads: &mut Gradients<f32, Cpu>,
) -> Result<(), OptimError> {
    opt.begin_step();
    let (l0, _, l2) = model;
    opt.update_tensor_in_place(0, &mut l0.weight, grads)?;
    opt.update_tensor_in_place(1, &mut l0.bias, grads)?;
    opt.update_tensor_in_place(2, &mut l2.weight, grads)?;
    opt.update_tensor_in_place(3, &mut l2.bias, grads)
}
