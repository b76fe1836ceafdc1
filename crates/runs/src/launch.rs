//! Launchers: files that make an existing engine start `n` identical `trainlab worker --study
//! DIR` processes. The study's journal does the scheduling; the engine only starts workers.
//!
//! ```text
//! slurm      an sbatch array job: --array=0-(n-1), each task `trainlab worker --study DIR`
//!            (SLURM_ARRAY_TASK_ID only names the task's log); `sbatch DIR/launch/workers.sbatch`
//! k8s        a batch/v1 Indexed Job: completions = parallelism = n, each pod one worker, the
//!            study on a shared PersistentVolumeClaim; `kubectl apply -f DIR/launch/workers-job.yaml`
//! parallel   a GNU parallel line: `seq n | parallel -j n -N0 trainlab worker --study DIR`
//!            (add `-S host1,host2` to spread it over machines that share DIR)
//! ```

use std::path::Path;

/// Which engine a launcher is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Slurm's `sbatch`, an array job.
    Slurm,
    /// Kubernetes, an Indexed Job.
    K8s,
    /// GNU parallel.
    Parallel,
}

/// What a launcher needs.
#[derive(Clone, Debug)]
pub struct Launch<'a> {
    /// The study directory (absolute, as the workers see it).
    pub study: &'a Path,
    /// How many identical workers.
    pub workers: usize,
    /// The `trainlab` command as the workers run it (a path, or `trainlab` in a container).
    pub trainlab: &'a str,
    /// Kubernetes: the container image holding `trainlab`.
    pub image: &'a str,
    /// Kubernetes: the PersistentVolumeClaim that holds the study, mounted at the study's
    /// parent directory.
    pub claim: &'a str,
}

/// `s` quoted for a POSIX shell (single quotes; a `'` inside becomes `'\''`).
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A name Slurm and Kubernetes accept: the study directory's name, lower case, `[a-z0-9-]`.
fn job_name(study: &Path) -> String {
    let name: String = study
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-');
    format!("trainlab-{}", if name.is_empty() { "study" } else { name })
}

/// The launcher's text for `engine`.
pub fn launcher(engine: Engine, l: &Launch<'_>) -> String {
    let study = l.study.display().to_string();
    let worker = format!(
        "{} worker --study {}",
        shell_quote(l.trainlab),
        shell_quote(&study)
    );
    let name = job_name(l.study);
    match engine {
        Engine::Slurm => format!(
            "#!/bin/bash\n\
             # {n} identical trainlab workers on the study {study}: the study's journal hands\n\
             # out the trials; SLURM_ARRAY_TASK_ID only names each task's log.\n\
             # Submit with: sbatch {script}\n\
             #SBATCH --job-name={name}\n\
             #SBATCH --array=0-{last}\n\
             #SBATCH --ntasks=1\n\
             #SBATCH --cpus-per-task=1\n\
             #SBATCH --output={study}/launch/slurm-%A_%a.out\n\
             set -eu\n\
             echo \"worker ${{SLURM_ARRAY_TASK_ID}} of job ${{SLURM_ARRAY_JOB_ID}} on $(hostname)\"\n\
             exec {worker}\n",
            n = l.workers,
            last = l.workers.saturating_sub(1),
            script = shell_quote(&format!("{study}/launch/workers.sbatch")),
        ),
        Engine::K8s => {
            let mount = l
                .study
                .parent()
                .map_or("/".to_string(), |p| p.display().to_string());
            let json = |s: &str| serde_json::to_string(s).expect("a string serialises");
            format!(
                "# {n} identical trainlab workers on the study {study}: the study's journal hands\n\
                 # out the trials (JOB_COMPLETION_INDEX only names the pod).\n\
                 # Apply with: kubectl apply -f {study}/launch/workers-job.yaml\n\
                 apiVersion: batch/v1\n\
                 kind: Job\n\
                 metadata:\n\
                 \x20 name: {name}\n\
                 spec:\n\
                 \x20 completionMode: Indexed\n\
                 \x20 completions: {n}\n\
                 \x20 parallelism: {n}\n\
                 \x20 backoffLimitPerIndex: 2\n\
                 \x20 template:\n\
                 \x20   spec:\n\
                 \x20     restartPolicy: Never\n\
                 \x20     containers:\n\
                 \x20       - name: worker\n\
                 \x20         image: {image}\n\
                 \x20         command: [{cmd}, \"worker\", \"--study\", {study_json}]\n\
                 \x20         resources:\n\
                 \x20           requests:\n\
                 \x20             cpu: \"1\"\n\
                 \x20         volumeMounts:\n\
                 \x20           - name: studies\n\
                 \x20             mountPath: {mount}\n\
                 \x20     volumes:\n\
                 \x20       - name: studies\n\
                 \x20         persistentVolumeClaim:\n\
                 \x20           claimName: {claim}\n",
                n = l.workers,
                image = json(l.image),
                cmd = json(l.trainlab),
                study_json = json(&study),
                mount = json(&mount),
                claim = json(l.claim),
            )
        }
        Engine::Parallel => format!(
            "seq {n} | parallel -j {n} -N0 --line-buffer {worker}\n",
            n = l.workers
        ),
    }
}

/// Where [`launcher`]'s text goes in the study: `launch/workers.sbatch`,
/// `launch/workers-job.yaml` or `launch/workers.parallel.sh`.
pub fn launcher_file(engine: Engine) -> &'static str {
    match engine {
        Engine::Slurm => "launch/workers.sbatch",
        Engine::K8s => "launch/workers-job.yaml",
        Engine::Parallel => "launch/workers.parallel.sh",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(study: &Path) -> Launch<'_> {
        Launch {
            study,
            workers: 4,
            trainlab: "/opt/bin/trainlab",
            image: "ghcr.io/example/trainlab:1",
            claim: "studies",
        }
    }

    #[test]
    fn the_slurm_script_is_an_array_of_n_identical_workers() {
        let text = launcher(Engine::Slurm, &launch(Path::new("/shared/my study")));
        let directives: Vec<&str> = text.lines().filter(|l| l.starts_with("#SBATCH")).collect();
        assert!(directives.contains(&"#SBATCH --array=0-3"), "{text}");
        assert!(directives.contains(&"#SBATCH --job-name=trainlab-my-study"));
        assert!(text.contains("SLURM_ARRAY_TASK_ID"));
        let last = text.lines().last().unwrap();
        assert_eq!(
            last,
            "exec /opt/bin/trainlab worker --study '/shared/my study'"
        );
    }

    #[test]
    fn the_k8s_yaml_parses_back_as_an_indexed_job() {
        let text = launcher(Engine::K8s, &launch(Path::new("/shared/studies/s1")));
        let job: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let get = |path: &str| -> serde_yaml::Value {
            let mut v = &job;
            for key in path.split('.') {
                v = match key.parse::<usize>() {
                    Ok(i) => &v[i],
                    Err(_) => &v[key],
                };
            }
            v.clone()
        };
        assert_eq!(get("apiVersion").as_str(), Some("batch/v1"));
        assert_eq!(get("kind").as_str(), Some("Job"));
        assert_eq!(get("metadata.name").as_str(), Some("trainlab-s1"));
        assert_eq!(get("spec.completionMode").as_str(), Some("Indexed"));
        assert_eq!(get("spec.completions").as_u64(), Some(4));
        assert_eq!(get("spec.parallelism").as_u64(), Some(4));
        assert_eq!(
            get("spec.template.spec.restartPolicy").as_str(),
            Some("Never")
        );
        let c = "spec.template.spec.containers.0";
        assert_eq!(
            get(&format!("{c}.image")).as_str(),
            Some("ghcr.io/example/trainlab:1")
        );
        let command: Vec<String> = serde_yaml::from_value(get(&format!("{c}.command"))).unwrap();
        assert_eq!(
            command,
            [
                "/opt/bin/trainlab",
                "worker",
                "--study",
                "/shared/studies/s1"
            ]
        );
        assert_eq!(
            get(&format!("{c}.volumeMounts.0.mountPath")).as_str(),
            Some("/shared/studies")
        );
        assert_eq!(
            get("spec.template.spec.volumes.0.persistentVolumeClaim.claimName").as_str(),
            Some("studies")
        );
    }

    #[test]
    fn the_parallel_line_starts_n_workers_without_arguments() {
        let text = launcher(Engine::Parallel, &launch(Path::new("/s")));
        assert_eq!(
            text,
            "seq 4 | parallel -j 4 -N0 --line-buffer /opt/bin/trainlab worker --study /s\n"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
