#!/usr/bin/env sh
# `cargo make lab`: the course in JupyterLab, from nothing to a running server.
#   1. `scripts/setup.sh`: .venv with the pinned Jupyter, the patched evcxr_jupyter (skipped when there)
#   2. registers the kernel "Rust (trainlab)" inside .venv (the user's own Jupyter is untouched):
#      evcxr_jupyter with EVCXR_CONFIG_DIR=notebooks/.evcxr, whose init.evcxr turns on evcxr's
#      compile cache (`:cache`), kept in .venv/cache/evcxr, so a second kernel start does not
#      rebuild dfdx and plotters; started by notebooks/.evcxr/kernel.sh in a persistent work
#      directory ($TMPDIR/trainlab-evcxr-*/slotN), so it does not rebuild the course's crates either
#   3. compiles the course for the kernel (scripts/warm_kernel.py, with progress: the first time
#      2 to 10 minutes, later about 10 s), then starts JupyterLab on notebooks/ (extra arguments go
#      to `jupyter lab`, e.g. --no-browser; as root, --allow-root is added)
# The other notebook tasks run steps 1 and 2, then, instead of step 3:
#   scripts/lab.sh kernel            nothing more
#   scripts/lab.sh notebooks [ARGS]  scripts/run_notebooks.py: execute every notebook (ARGS: --write, paths)
#   scripts/lab.sh book              render the notebooks to HTML in dist/book/
#   scripts/lab.sh bench [ARGS]      scripts/notebook_bench.py: kernel start, trivial cell, training cell
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"

echo "lab: step 1/3: Python environment and evcxr_jupyter (scripts/setup.sh)"
sh "$root/scripts/setup.sh"

# the patched kernel scripts/setup.sh built (notebooks/.evcxr/evcxr-0.22.0.patch)
evcxr=$(cat "$venv/evcxr_jupyter")
kernel_dir="$venv/share/jupyter/kernels/trainlab-rust"
mkdir -p "$kernel_dir" "$venv/cache"
cat > "$kernel_dir/kernel.json.new" <<JSON
{
  "argv": ["sh", "$root/notebooks/.evcxr/kernel.sh", "$evcxr", "--control_file", "{connection_file}"],
  "display_name": "Rust (trainlab)",
  "language": "rust",
  "interrupt_mode": "message",
  "env": {
    "EVCXR_CONFIG_DIR": "$root/notebooks/.evcxr",
    "XDG_CACHE_HOME": "$venv/cache"
  }
}
JSON
if cmp -s "$kernel_dir/kernel.json.new" "$kernel_dir/kernel.json"; then
  rm "$kernel_dir/kernel.json.new"
  echo "lab: step 2/3: kernel \"Rust (trainlab)\" is registered ($kernel_dir)"
else
  mv "$kernel_dir/kernel.json.new" "$kernel_dir/kernel.json"
  echo "lab: step 2/3: registered kernel \"Rust (trainlab)\" in $kernel_dir"
  echo "lab:           compile cache on (notebooks/.evcxr/init.evcxr), kept in .venv/cache/evcxr"
fi

case "${1:-}" in
  kernel)
    exit 0 ;;
  notebooks)
    shift
    exec "$venv/bin/python" "$root/scripts/run_notebooks.py" "$@" ;;
  bench)
    shift
    exec "$venv/bin/python" "$root/scripts/notebook_bench.py" "$@" ;;
  book)
    echo "book: rendering notebooks/NN-*.ipynb (their committed outputs) to dist/book/"
    mkdir -p "$root/dist/book"
    "$venv/bin/jupyter" nbconvert --log-level WARN --to html --output-dir "$root/dist/book" \
      "$root"/notebooks/[0-9][0-9]-*.ipynb
    {
      echo '<!doctype html><html><head><meta charset="utf-8"><title>trainlab notebooks</title></head><body>'
      echo '<h1>trainlab: training neural networks, the notebooks</h1><ol>'
      for f in "$root"/dist/book/[0-9][0-9]-*.html; do
        name=$(basename "$f")
        echo "<li><a href=\"$name\">${name%.html}</a></li>"
      done
      echo '</ol></body></html>'
    } > "$root/dist/book/index.html"
    echo "book: open dist/book/index.html"
    exit 0 ;;
esac
# The course's compile for the kernel happens here, with cargo's progress on the terminal,
# instead of silently inside the first notebook's :dep cell. Not beside JupyterLab: a notebook
# opened meanwhile would compile beside it (evcxr cannot share a target directory between two
# kernels compiling at once; see notebooks/.evcxr/kernel.sh) and its kernel could miss
# JupyterLab's 60 s start-up limit and be restarted, losing a Run All.
echo "lab: step 3/3: compiling the course for the notebook kernel (scripts/warm_kernel.py; the first"
echo "lab:           time 2 to 10 minutes, later about 10 s), then starting JupyterLab"
"$venv/bin/python" "$root/scripts/warm_kernel.py" 2>&1 | tee "$venv/warm-kernel.log"
echo "lab:           starting JupyterLab on notebooks/ (Ctrl-C stops it); the first :dep cell of a"
echo "lab:           notebook now takes seconds"
if [ "$(id -u)" -eq 0 ]; then
  # containers and many cloud machines log in as root; Jupyter refuses root unless told
  echo "lab:           running as root (e.g. in a container): passing --allow-root to jupyter lab"
  set -- --allow-root "$@"
fi
cd "$root/notebooks"
exec "$venv/bin/jupyter" lab --notebook-dir "$root/notebooks" "$@"
