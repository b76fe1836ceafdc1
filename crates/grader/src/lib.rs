//! trainlab-grader: releases, validates and grades the exercises in `exercises/`.
