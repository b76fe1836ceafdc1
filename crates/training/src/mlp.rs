//! A multilayer perceptron whose depth, widths and activation are chosen at run time.
//!
//! dfdx 0.13's `Linear<I, O>` fixes its sizes at compile time, so architecture could not be a
//! hyperparameter. This MLP keeps each layer as dfdx tensors with runtime shapes,
//! `w: (fan_in, fan_out)` and `b: (fan_out,)`, and computes `h = act(x · w + b)` with dfdx's
//! operations, so autodiff and the kernels are dfdx's own.
//!
//! Initialisation matches PyTorch's `nn.Linear`: every weight and bias drawn from
//! `U(-1/sqrt(fan_in), 1/sqrt(fan_in))`, here from a seeded ChaCha8 generator.
//!
//! Dropout (inverted, like PyTorch's `nn.Dropout`) follows every hidden activation in
//! [`Mode::Train`]: each unit is zeroed with probability `p` and the survivors are scaled by
//! `1 / (1 - p)`, so [`Mode::Eval`] needs no rescaling and uses every unit. The masks come from a
//! ChaCha8 generator seeded by the run's seed and the iteration, so a resumed run draws the same
//! masks as one never interrupted.

use dfdx::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use trainlab_optimizers::{OptimError, Optimizer, UpdateRule};

use crate::{Activation, TrainError};

/// Whether a forward pass trains (dropout on) or evaluates (dropout off): PyTorch's
/// `model.train()` and `model.eval()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Training: dropout drops units; `step` (the 1-based iteration) seeds this pass's masks.
    Train {
        /// The iteration whose masks to draw.
        step: u64,
    },
    /// Evaluation: every unit is used, nothing is random.
    Eval,
}

/// A matrix with runtime shape, as the MLP stores it.
pub(crate) type Matrix<T = NoneTape> = Tensor<(usize, usize), f32, Cpu, T>;
type Vector = Tensor<(usize,), f32, Cpu>;

#[derive(Clone, Debug)]
struct Dense {
    w: Matrix,
    b: Vector,
}

/// A fully connected network `n_in -> hidden... -> n_out` on dfdx's CPU device.
#[derive(Clone, Debug)]
pub struct Mlp {
    dev: Cpu,
    layers: Vec<Dense>,
    activation: Activation,
    sizes: Vec<usize>,
    dropout: f32,
    seed: u64,
    /// The first layer has [`LARGE_LAYER`] weights or more: record only its weight gradient
    /// ([`Mlp::input_matmul`]), and let dfdx cache freed buffers.
    large: bool,
    /// Where [`Mlp::bias_act`] and [`Mlp::input_matmul`] read numbers out of dfdx's tensors,
    /// kept from step to step (a fresh zeroed buffer of the first layer's size faulted its pages
    /// in every step).
    scratch: Scratch,
}

/// A buffer shared by an [`Mlp`]'s backward ops (and its clones: it holds nothing between ops).
#[derive(Clone, Default)]
struct Scratch(std::sync::Arc<std::sync::Mutex<Vec<f32>>>);

impl Scratch {
    /// The buffer, at least `n` long. It only grows: the ops of a step want different lengths.
    fn at_least(&self, n: usize) -> std::sync::MutexGuard<'_, Vec<f32>> {
        let mut buf = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if buf.len() < n {
            buf.resize(n, 0.0);
        }
        buf
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scratch")
    }
}

/// Weights from which a layer is "large" for [`Mlp`]: 32Ki, a 128 KiB matrix (glibc's first
/// mmap threshold). At 64-1024-10 (65,536 first-layer weights) skipping the input gradient and
/// caching buffers take 12-14% off forward+backward; at the default 64-128-10 (8,192) the extra
/// backward op and the cache's bookkeeping cost more than they save (5% per epoch, measured).
const LARGE_LAYER: usize = 1 << 15;

impl Mlp {
    /// A freshly initialised network; the same seed gives the same weights, bit for bit.
    pub fn new(
        n_in: usize,
        hidden: &[usize],
        n_out: usize,
        activation: Activation,
        seed: u64,
    ) -> Self {
        let dev = Cpu::seed_from_u64(seed);
        let large = n_in * hidden.first().copied().unwrap_or(n_out) >= LARGE_LAYER;
        if large {
            // dfdx reuses freed tensor buffers of the same length instead of returning them to
            // the allocator. Every step allocates and frees the same activations and gradients;
            // through glibc's malloc, buffers over its mmap threshold (128 KiB at first, 256x1024
            // f32 activations are 1 MiB) and heap trims can make each step fault fresh pages in:
            // `perf stat` counted 100K page faults against 3.7K for 20 epochs of 64-1024-10 at
            // batch 256, 1.3-1.5x the time, depending only on the order of allocations
            // (BENCHMARKS.md).
            dev.enable_cache();
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut sizes = vec![n_in];
        sizes.extend_from_slice(hidden);
        sizes.push(n_out);
        let layers = sizes
            .windows(2)
            .map(|pair| {
                let (fan_in, fan_out) = (pair[0], pair[1]);
                let bound = 1.0 / (fan_in as f32).sqrt();
                let mut draw = |n: usize| -> Vec<f32> {
                    (0..n).map(|_| rng.gen_range(-bound..bound)).collect()
                };
                let w = draw(fan_in * fan_out);
                let b = draw(fan_out);
                Dense {
                    w: dev.tensor_from_vec(w, (fan_in, fan_out)),
                    b: dev.tensor_from_vec(b, (fan_out,)),
                }
            })
            .collect();
        Self {
            dev,
            layers,
            activation,
            sizes,
            dropout: 0.0,
            seed,
            large,
            scratch: Scratch::default(),
        }
    }

    /// The same network with dropout probability `p` after every hidden activation (in
    /// [`Mode::Train`] only). `p` must be in `[0, 1)`; the config validates it.
    pub fn with_dropout(mut self, p: f32) -> Self {
        debug_assert!(
            (0.0..1.0).contains(&p),
            "dropout must be in [0, 1), got {p}"
        );
        self.dropout = p;
        self
    }

    /// The dropout probability (0: none).
    pub fn dropout(&self) -> f32 {
        self.dropout
    }

    /// Layer sizes, input first: `[64, 128, 10]`.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// The activation between layers.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// Number of trainable numbers.
    pub fn n_params(&self) -> usize {
        self.sizes.windows(2).map(|p| p[0] * p[1] + p[1]).sum()
    }

    /// The device the tensors live on.
    pub fn device(&self) -> &Cpu {
        &self.dev
    }

    /// A batch of rows as a `(n, n_in)` tensor.
    pub(crate) fn input(&self, rows: Vec<f32>) -> Matrix {
        let n = rows.len() / self.sizes[0];
        self.dev.tensor_from_vec(rows, (n, self.sizes[0]))
    }

    /// Logits for a batch, recording on whatever tape `x` carries.
    pub(crate) fn forward<T: Tape<f32, Cpu>>(&self, x: Matrix<T>, mode: Mode) -> Matrix<T> {
        let last = self.layers.len() - 1;
        let mut h = x;
        for (i, layer) in self.layers.iter().enumerate() {
            let z = if i == 0 && self.large {
                self.input_matmul(h, &layer.w)
            } else {
                h.matmul(layer.w.retaped::<T>())
            };
            let shape = *z.shape();
            h = if i == last {
                self.bias_act(z, &layer.b, None)
            } else {
                let a = self.bias_act(z, &layer.b, Some(self.activation));
                match mode {
                    Mode::Train { step } if self.dropout > 0.0 => {
                        let mask = self.dropout_mask(shape, step, i);
                        a * mask
                    }
                    _ => a,
                }
            };
        }
        h
    }

    /// `act(z + b)`, `b` added to every row (`act` `None`: the output layer's `z + b`), in one
    /// loop over the numbers (besides the copies in and out that dfdx 0.13's API needs), with
    /// one backward op.
    ///
    /// dfdx 0.13 takes three ops for it (a broadcast, an add, the activation), each walking its
    /// tensors element by element through a strided index and allocating its output; they were
    /// a quarter of a training step of 64-1024-10 (BENCHMARKS.md). The values are dfdx's,
    /// bit for bit (tested against its ops): the same `z + b`, `max(x, 0)`, `tanh`,
    /// `1 / (1 + exp(-x))`, and backward `dL/dz = act'(y) · dL/dy` with dfdx's derivatives from
    /// the output `y` (`y > 0`, `1 - y²`, `y (1 - y)`), `dL/db` summed row after row.
    fn bias_act<T: Tape<f32, Cpu>>(
        &self,
        z: Matrix<T>,
        b: &Vector,
        act: Option<Activation>,
    ) -> Matrix<T> {
        let (z, mut tape) = z.split_tape();
        let shape = *z.shape();
        let (n, cols) = (shape.0 * shape.1, shape.1);
        let bias = b.as_vec();
        // Every buffer of the step comes from dfdx (`zeros_like`, its cache reuses them) or is
        // the model's scratch: a `Vec` of our own handed to dfdx each step would never return to
        // the allocator once dfdx's cache holds it.
        let out = {
            let mut y = self.scratch.at_least(n);
            let y = &mut y[..n];
            z.copy_into(y);
            match act {
                None => add_rows(y, &bias, |x| x),
                Some(Activation::Relu) => add_rows(y, &bias, |x| x.max(0.0)),
                Some(Activation::Tanh) => add_rows(y, &bias, f32::tanh),
                Some(Activation::Sigmoid) => add_rows(y, &bias, |x| 1.0 / (1.0 + (-x).exp())),
            }
            let mut out = self.dev.zeros_like(&shape);
            out.copy_from(y);
            out
        };
        if T::OWNS_TAPE {
            let (y, b, scratch) = (out.clone(), b.clone(), self.scratch.clone());
            tape.add_backward_op(move |grads| {
                let mut dz = scratch.at_least(n);
                let dz = &mut dz[..n];
                y.copy_into(dz);
                let dy = grads.get_or_alloc_mut(&y)?;
                match act {
                    None => dz.copy_from_slice(dy),
                    Some(Activation::Relu) => times_df(dz, dy, |y| if y > 0.0 { 1.0 } else { 0.0 }),
                    Some(Activation::Tanh) => times_df(dz, dy, |y| 1.0 - y * y),
                    Some(Activation::Sigmoid) => times_df(dz, dy, |y| y * (1.0 - y)),
                }
                let gz = grads.get_or_alloc_mut(&z)?;
                gz.iter_mut().zip(dz.iter()).for_each(|(g, d)| *g += d);
                let mut db = vec![0.0; cols];
                for row in dz.chunks_exact(cols) {
                    db.iter_mut().zip(row).for_each(|(g, d)| *g += d);
                }
                let gb = grads.get_or_alloc_mut(&b)?;
                gb.iter_mut().zip(&db).for_each(|(g, d)| *g += d);
                Ok(())
            });
        }
        out.put_tape(tape)
    }

    /// `x · w` for a large first layer ([`LARGE_LAYER`]), recording only `w`'s gradient on `x`'s
    /// tape.
    ///
    /// dfdx 0.13's matmul backward always computes both operands' gradients; for the input
    /// batch, which is data, `dL/dx = dL/dz · wᵀ` is a third matmul as large as the forward
    /// one that nothing reads (29% of the matmul work of 64-1024-10, 14% of 784-1024-1024-10).
    /// So the product is taken without a tape and one backward op is recorded by hand:
    /// `dL/dw += xᵀ · dL/dz`, with dfdx's own matmul (the same `gemm` kernel and thread policy).
    /// (`Gradients::get` hands back a copy of `dL/dz`; `z` feeds only the bias add, whose
    /// backward has run by then.)
    fn input_matmul<T: Tape<f32, Cpu>>(&self, x: Matrix<T>, w: &Matrix) -> Matrix<T> {
        let (x, mut tape) = x.split_tape();
        let z = x.clone().matmul(w.clone());
        if T::OWNS_TAPE {
            let (z, w) = (z.clone(), w.clone());
            let scratch = self.scratch.clone();
            tape.add_backward_op(move |grads| {
                let dz = grads.get(&z);
                let dw = x.permute::<_, Axes2<1, 0>>().matmul(dz);
                let n = dw.shape().num_elements();
                let mut buf = scratch.at_least(n);
                dw.copy_into(&mut buf[..n]);
                let g = grads.get_or_alloc_mut(&w)?;
                g.iter_mut().zip(&buf[..n]).for_each(|(g, d)| *g += d);
                Ok(())
            });
        }
        z.put_tape(tape)
    }

    /// Inverted dropout's mask for layer `layer` at iteration `step`: 0 with probability `p`,
    /// `1 / (1 - p)` otherwise.
    fn dropout_mask(&self, shape: (usize, usize), step: u64, layer: usize) -> Matrix {
        let p = self.dropout;
        let keep = 1.0 / (1.0 - p);
        let stream = (step << 8) | layer as u64;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ 0x5eed_d50f);
        rng.set_stream(stream);
        let mask = (0..shape.0 * shape.1)
            .map(|_| if rng.gen::<f32>() < p { 0.0 } else { keep })
            .collect();
        self.dev.tensor_from_vec(mask, shape)
    }

    /// Logits for `n` rows of features (row-major) in [`Mode::Eval`], without recording
    /// gradients.
    pub fn predict(&self, features: &[f32]) -> Vec<f32> {
        self.forward(self.input(features.to_vec()), Mode::Eval)
            .as_vec()
    }

    /// One optimizer step on every parameter, in a fixed slot order (w0, b0, w1, b1, ...).
    /// Borrows the gradient buffers from `grads`: every parameter takes part in every forward
    /// pass (dropout zeroes activations, never a weight), so every one has a gradient.
    pub fn update<R: UpdateRule>(
        &mut self,
        opt: &mut Optimizer<R>,
        grads: &mut Gradients<f32, Cpu>,
    ) -> Result<(), OptimError> {
        opt.begin_step();
        for (i, layer) in self.layers.iter_mut().enumerate() {
            opt.update_tensor_in_place(2 * i, &mut layer.w, grads)?;
            opt.update_tensor_in_place(2 * i + 1, &mut layer.b, grads)?;
        }
        Ok(())
    }

    /// Every parameter as a named flat vector (`layers.0.weight`, ...), for checkpoints and tests.
    pub fn parameters(&self) -> Vec<(String, Vec<f32>)> {
        self.layers
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                [
                    (format!("layers.{i}.weight"), l.w.as_vec()),
                    (format!("layers.{i}.bias"), l.b.as_vec()),
                ]
            })
            .collect()
    }

    /// Replaces every parameter; `values` in the order and sizes of [`Mlp::parameters`].
    pub fn set_parameters(&mut self, values: &[Vec<f32>]) -> Result<(), TrainError> {
        let expected = 2 * self.layers.len();
        if values.len() != expected {
            return Err(TrainError::ParameterShape(format!(
                "expected {expected} parameter tensors, found {}",
                values.len()
            )));
        }
        for (i, layer) in self.layers.iter_mut().enumerate() {
            for (slot, t) in [
                (2 * i, &mut layer.w as &mut dyn CopyFrom),
                (2 * i + 1, &mut layer.b),
            ] {
                let v = &values[slot];
                if v.len() != t.numel() {
                    return Err(TrainError::ParameterShape(format!(
                        "parameter {slot} (layer {i}) has {} numbers, expected {}",
                        v.len(),
                        t.numel()
                    )));
                }
                t.copy(v);
            }
        }
        Ok(())
    }
}

/// Lets `set_parameters` treat weights and biases alike.
trait CopyFrom {
    fn numel(&self) -> usize;
    fn copy(&mut self, v: &[f32]);
}

impl<S: Shape> CopyFrom for Tensor<S, f32, Cpu> {
    fn numel(&self) -> usize {
        self.shape().num_elements()
    }
    fn copy(&mut self, v: &[f32]) {
        self.copy_from(v);
    }
}

/// `y = f(y + bias)` row by row (`bias` has one number per column), compiled once per `f`.
fn add_rows(y: &mut [f32], bias: &[f32], f: impl Fn(f32) -> f32) {
    for row in y.chunks_exact_mut(bias.len()) {
        for (v, &b) in row.iter_mut().zip(bias) {
            *v = f(*v + b);
        }
    }
}

/// `y_to_dz = df(y) · dy`, element by element, in place of the activation's outputs `y`.
fn times_df(y_to_dz: &mut [f32], dy: &[f32], df: impl Fn(f32) -> f32) {
    y_to_dz
        .iter_mut()
        .zip(dy)
        .for_each(|(v, &d)| *v = df(*v) * d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_parameter_count() {
        let m = Mlp::new(64, &[128, 32], 10, Activation::Relu, 0);
        assert_eq!(m.sizes(), &[64, 128, 32, 10]);
        assert_eq!(m.n_params(), 64 * 128 + 128 + 128 * 32 + 32 + 32 * 10 + 10);
        let total: usize = m.parameters().iter().map(|(_, v)| v.len()).sum();
        assert_eq!(total, m.n_params());
    }

    #[test]
    fn init_is_seeded_and_within_pytorch_bounds() {
        let a = Mlp::new(16, &[8], 3, Activation::Tanh, 7).parameters();
        let b = Mlp::new(16, &[8], 3, Activation::Tanh, 7).parameters();
        let c = Mlp::new(16, &[8], 3, Activation::Tanh, 8).parameters();
        assert_eq!(a, b);
        assert_ne!(a, c);
        // layer 0 has fan_in 16: bound 1/4; layer 1 has fan_in 8: bound 1/sqrt(8)
        assert!(a[0].1.iter().chain(&a[1].1).all(|x| x.abs() <= 0.25));
        assert!(a[2].1.iter().all(|x| x.abs() <= 1.0 / 8f32.sqrt()));
    }

    /// `bias_act` against the three dfdx ops it replaces (broadcast, add, activation), bit for bit:
    /// the output, and the gradients of `z` (through the matmul: of `w`) and of `b`, for every
    /// activation and for none, on values that cross zero and saturate, with an upstream
    /// gradient that is not all ones (the loss weights each output).
    #[test]
    fn bias_act_gives_the_bits_of_dfdx_ops() {
        let m = Mlp::new(5, &[7], 2, Activation::Relu, 1);
        let dev = m.device().clone();
        let (rows, k, cols) = (6, 5, 7);
        let val = |i: usize, scale: f32| ((i * 37 % 23) as f32 - 11.0) * scale;
        let x: Matrix =
            dev.tensor_from_vec((0..rows * k).map(|i| val(i, 0.9)).collect(), (rows, k));
        let w: Matrix =
            dev.tensor_from_vec((0..k * cols).map(|i| val(i + 3, 0.3)).collect(), (k, cols));
        let b: Vector = dev.tensor_from_vec((0..cols).map(|i| val(i + 5, 0.7)).collect(), (cols,));
        let weights: Matrix = dev.tensor_from_vec(
            (0..rows * cols).map(|i| val(i + 1, 0.1)).collect(),
            (rows, cols),
        );
        let bits = |v: Vec<f32>| v.into_iter().map(f32::to_bits).collect::<Vec<_>>();
        for act in [
            None,
            Some(Activation::Relu),
            Some(Activation::Tanh),
            Some(Activation::Sigmoid),
        ] {
            let run = |fused: bool| {
                let z = x.clone().traced(Gradients::leaky()).matmul(w.clone());
                let y = if fused {
                    m.bias_act(z, &b, act)
                } else {
                    let shape = *z.shape();
                    let z = z + b
                        .retaped::<OwnedTape<f32, Cpu>>()
                        .broadcast_like::<_, Axis<0>>(&shape);
                    match act {
                        None => z,
                        Some(Activation::Relu) => z.relu(),
                        Some(Activation::Tanh) => z.tanh(),
                        Some(Activation::Sigmoid) => z.sigmoid(),
                    }
                };
                let y_values = y.retaped::<NoneTape>().as_vec();
                let grads = (y * weights.clone()).sum().backward();
                (y_values, grads.get(&w).as_vec(), grads.get(&b).as_vec())
            };
            let (dfdx, fused) = (run(false), run(true));
            assert_eq!(bits(fused.0), bits(dfdx.0), "{act:?}: output");
            assert_eq!(bits(fused.1), bits(dfdx.1), "{act:?}: dL/dw");
            assert_eq!(bits(fused.2), bits(dfdx.2), "{act:?}: dL/db");
        }
    }

    /// The gradients of every parameter, derived by hand, on both paths of the first layer:
    /// dfdx's matmul (a small layer) and `input_matmul`'s own backward op (a large one, which
    /// records no gradient for the input batch).
    #[test]
    fn gradients_by_hand_on_both_first_layer_paths() {
        // hand_set_2_2_1's network; loss = the sum of the outputs over
        // a batch of x1 = [1, -2], x2 = [2, 1].
        // z1 = [1.5, -1] (relu' = [1, 0]); z2 = [2.5, 4] (relu' = [1, 1]); h = [1.5, 0], [2.5, 4]
        // dL/dz = relu' * w1 = [3, 0], [3, 4]
        // dL/dw0[i][j] = sum over rows of x[i] * dz[j] = [[1*3 + 2*3, 1*0 + 2*4], [-2*3 + 1*3, -2*0 + 1*4]]
        //              = [[9, 8], [-3, 4]];  dL/db0 = [6, 4];  dL/dw1 = h1 + h2 = [4, 4];  dL/db1 = 2
        for large in [false, true] {
            let mut m = hand_set_2_2_1();
            assert!(!m.large, "a 2x2 layer is small");
            m.large = large;
            let x = m.input(vec![1.0, -2.0, 2.0, 1.0]);
            let out = m.forward(x.traced(Gradients::leaky()), Mode::Train { step: 1 });
            let grads = out.sum::<(), _>().backward();
            let got: Vec<Vec<f32>> = m
                .layers
                .iter()
                .flat_map(|l| [grads.get(&l.w).as_vec(), grads.get(&l.b).as_vec()])
                .collect();
            assert_eq!(
                got,
                [
                    vec![9.0, 8.0, -3.0, 4.0],
                    vec![6.0, 4.0],
                    vec![4.0, 4.0],
                    vec![2.0]
                ],
                "large = {large}"
            );
        }
        assert!(Mlp::new(64, &[1024], 10, Activation::Relu, 0).large);
        assert!(!Mlp::new(64, &[128], 10, Activation::Relu, 0).large);
    }

    /// 2 -> 2 (relu) -> 1 with hand-set weights: w0 = [[1, 2], [0, 1]], b0 = [0.5, -1],
    /// w1 = [3, 4], b1 = 0.25.
    fn hand_set_2_2_1() -> Mlp {
        let mut m = Mlp::new(2, &[2], 1, Activation::Relu, 0);
        m.set_parameters(&[
            vec![1.0, 2.0, 0.0, 1.0],
            vec![0.5, -1.0],
            vec![3.0, 4.0],
            vec![0.25],
        ])
        .unwrap();
        m
    }

    #[test]
    fn forward_computes_affine_layers_by_hand() {
        // x = [1, -2]: z1 = x·w0 + b0 = [1*1 + -2*0 + 0.5, 1*2 + -2*1 - 1] = [1.5, -1];
        // relu -> [1.5, 0]; out = 1.5*3 + 0*4 + 0.25 = 4.75
        assert_eq!(hand_set_2_2_1().predict(&[1.0, -2.0]), vec![4.75]);
    }

    #[test]
    fn set_parameters_rejects_wrong_sizes() {
        let mut m = Mlp::new(2, &[2], 1, Activation::Relu, 0);
        let err = m.set_parameters(&[vec![0.0; 3]]).unwrap_err().to_string();
        assert!(err.contains("expected 4 parameter tensors"), "{err}");
        let err = m
            .set_parameters(&[vec![0.0; 4], vec![0.0; 2], vec![0.0; 3], vec![0.0]])
            .unwrap_err()
            .to_string();
        assert!(err.contains("parameter 2"), "{err}");
    }
}

#[cfg(test)]
mod dropout_tests {
    use super::*;

    #[test]
    fn eval_mode_uses_every_unit_and_train_mode_drops_with_rescaling() {
        // 1 -> 4 (relu) -> 1 with every weight 1 and biases 0: x = 1 gives h = [1, 1, 1, 1],
        // out = 4 in eval mode. With p = 0.5 a train pass keeps each unit with probability 1/2 and
        // scales survivors by 2: out = 2 * (units kept), an even number in [0, 8].
        let mut m = Mlp::new(1, &[4], 1, Activation::Relu, 3).with_dropout(0.5);
        m.set_parameters(&[vec![1.0; 4], vec![0.0; 4], vec![1.0; 4], vec![0.0]])
            .unwrap();
        assert_eq!(m.predict(&[1.0]), vec![4.0]);
        let mut seen = Vec::new();
        for step in 1..=64 {
            let out = m.forward(m.input(vec![1.0]), Mode::Train { step }).as_vec()[0];
            assert!(out % 2.0 == 0.0 && (0.0..=8.0).contains(&out), "{out}");
            seen.push(out);
        }
        // the masks differ between iterations and average to about the eval output
        let mean = seen.iter().sum::<f32>() / seen.len() as f32;
        assert!((mean - 4.0).abs() < 0.75, "mean {mean}");
        // the same iteration draws the same mask (exact resume)
        let again = m
            .forward(m.input(vec![1.0]), Mode::Train { step: 5 })
            .as_vec()[0];
        assert_eq!(again, seen[4]);
    }
}
