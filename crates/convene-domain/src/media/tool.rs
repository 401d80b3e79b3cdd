//! Outside programs the pipeline hands files to (libheif's converter, ffmpeg), each
//! run as a separate process under an address-space limit and a deadline, with no
//! input and its output captured.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address space a tool may take.
const MEMORY: &str = "2000000000";

/// The program `name` on the `PATH`, if installed.
pub fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Why a tool gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolError {
    Missing,
    Failed,
    TooSlow,
}

/// Runs `tool` with `args` in `dir`; its standard output when it succeeds.
pub fn run(
    tool: &str,
    args: &[&std::ffi::OsStr],
    dir: &Path,
    deadline: Duration,
) -> Result<Vec<u8>, ToolError> {
    let path = find(tool).ok_or(ToolError::Missing)?;
    let mut cmd = if Path::new("/usr/bin/prlimit").is_file() {
        let mut c = Command::new("/usr/bin/prlimit");
        c.arg(format!("--as={MEMORY}")).arg("--").arg(&path);
        c
    } else {
        Command::new(&path)
    };
    let out_file = dir.join(".tool-stdout");
    let out = std::fs::File::create(&out_file).map_err(|_| ToolError::Failed)?;
    let mut child = cmd
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| ToolError::Missing)?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ToolError::TooSlow);
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ToolError::Failed);
            }
        }
    };
    let stdout = std::fs::read(&out_file).unwrap_or_default();
    let _ = std::fs::remove_file(&out_file);
    if status.success() {
        Ok(stdout)
    } else {
        Err(ToolError::Failed)
    }
}

/// A private working directory, removed when dropped.
pub struct WorkDir(PathBuf);

impl WorkDir {
    pub fn new(prefix: &str) -> Option<WorkDir> {
        let name = crate::util::random_token(12).ok()?;
        let dir = std::env::temp_dir().join(format!("convene-{prefix}-{name}"));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&dir).ok()?;
        Some(WorkDir(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
