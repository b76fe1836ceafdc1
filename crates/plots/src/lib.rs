//! trainlab-plots: plotters charts as SVG (notebooks) and PNG (files).
