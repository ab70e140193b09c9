"""The CI examples in examples/ci/ run: their shell steps are extracted from the
GitHub Actions workflow and the GitLab CI jobs and run with bash against test images
built from a project directory (a Dockerfile with a leaked token, and a clean one).
Only the uploads are mocked: the upload-sarif action and GitLab's artifact reports
are replaced by validating the files they would upload. The "Install bulwark" step
and GitLab's before_script (how a runner gets the binary) are replaced by putting
the binary under test on PATH."""

import json
import os
import pathlib
import subprocess

import jsonschema
import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "ci"
SCHEMAS = REPO / "tests" / "schemas"

LEAKY = """FROM {base}
RUN mkdir -p /app && printf 'GITHUB_TOKEN=%s%s\\n' 'ghp_' 'FAKEkeptkeptkeptkeptkeptkeptkeptkept' > /app/kept.env
USER 1000
HEALTHCHECK NONE
"""
CLEAN = """FROM {base}
RUN mkdir -p /app && echo hello > /app/hello.txt
USER 1000
HEALTHCHECK NONE
"""


@pytest.fixture
def project(bulwark, docker, tiny_image, tmp_path):
    """A checked-out project, a PATH with bulwark on it, and the job's environment."""
    work = tmp_path / "work"
    work.mkdir()
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "bulwark").symlink_to(bulwark.path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULWARK_") or k == "BULWARK_RELEASE"}
    env.update(docker.env)
    env["PATH"] = f"{bindir}:{env['PATH']}"
    env["DOCKER_BUILDKIT"] = "0"
    # findings of this test image come from its files: no vulnerability data needed
    env["BULWARK_SCANNERS"] = "secret,config"
    tags = []
    yield work, env, tags
    for t in tags:
        docker.cli("rmi", "-f", t, check=False)


def run_script(lines, work, env):
    script = "set -e\n" + "\n".join(lines) + "\n"
    return subprocess.run(["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=600)


def github_steps(image_tag):
    wf = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text())
    job = wf["jobs"]["bulwark"]
    assert "security-events" in wf["permissions"]
    env = {k: str(v) for k, v in job.get("env", {}).items()}
    env["IMAGE"] = image_tag
    return job["steps"], env


@pytest.mark.parametrize("leaky", [True, False], ids=["leaky", "clean"])
def test_github_actions_workflow_scans_uploads_and_gates(project, tiny_image, leaky):
    work, env, tags = project
    (work / "Dockerfile").write_text((LEAKY if leaky else CLEAN).format(base=tiny_image))
    tag = f"bwtest/ci-example-gh-{'leaky' if leaky else 'clean'}:1"
    tags.append(tag)
    steps, job_env = github_steps(tag)
    env = dict(env, **job_env)
    ran, uploaded, gate = [], None, None
    for step in steps:
        name = step.get("name", step.get("uses", ""))
        if "uses" in step:
            if step["uses"].startswith("actions/checkout"):
                continue  # the project directory is the checkout
            assert step["uses"].startswith("github/codeql-action/upload-sarif")
            assert step.get("if") == "always()"  # uploads even when the gate fails
            uploaded = work / step["with"]["sarif_file"]
            continue
        if name == "Install bulwark":
            continue
        p = run_script([step["run"]], work, env)
        ran.append(name)
        if name.startswith("Gate"):
            gate = p.returncode
        else:
            assert p.returncode == 0, (name, p.stdout, p.stderr)
    assert ran == ["Build the image", "Scan (SARIF for code scanning)", "Gate on HIGH and CRITICAL"]
    # the mocked upload: the file exists and is SARIF GitHub takes
    doc = json.loads(uploaded.read_text())
    jsonschema.validate(doc, json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text()))
    results = doc["runs"][0]["results"]
    secrets = [r for r in results if r["ruleId"] == "BW-SEC-GH-001"]
    if leaky:
        assert gate == 1
        assert len(secrets) == 1
        loc = secrets[0]["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "Dockerfile" and loc["region"]["startLine"] == 2
    else:
        assert gate == 0 and not secrets


def gitlab_jobs():
    doc = yaml.safe_load((EXAMPLES / "gitlab-ci.yml").read_text())
    return doc, {k: v for k, v in doc.items() if isinstance(v, dict) and "script" in v}


@pytest.mark.parametrize("leaky", [True, False], ids=["leaky", "clean"])
def test_gitlab_ci_jobs_write_the_reports_gitlab_reads_and_gate(project, tiny_image, leaky):
    work, env, tags = project
    (work / "Dockerfile").write_text((LEAKY if leaky else CLEAN).format(base=tiny_image))
    tag = f"bwtest/ci-example-gl-{'leaky' if leaky else 'clean'}:1"
    tags.append(tag)
    doc, jobs = gitlab_jobs()
    assert set(jobs) == {"bulwark_container_scanning", "bulwark_lint"}
    env = dict(env, **{k: str(v) for k, v in doc.get("variables", {}).items()})
    env["IMAGE"] = tag

    scan = jobs["bulwark_container_scanning"]
    *steps, gate = scan["script"]
    p = run_script(steps, work, env)
    assert p.returncode == 0, p.stderr
    p = run_script([gate], work, env)
    assert p.returncode == (1 if leaky else 0), p.stderr
    # the mocked artifact upload: what GitLab would ingest
    report = work / scan["artifacts"]["reports"]["container_scanning"]
    jsonschema.validate(json.loads(report.read_text()),
                        json.loads((SCHEMAS / "gitlab-container-scanning-15.bulwark.json").read_text()))
    html = (work / scan["artifacts"]["paths"][0]).read_text()
    assert html.startswith("<!DOCTYPE html>") and ("BW-SEC-GH-001" in html) == leaky
    assert scan["artifacts"]["when"] == "always"

    lint = jobs["bulwark_lint"]
    write, lint_gate = lint["script"]
    p = run_script([write], work, env)
    assert p.returncode == 0, p.stderr
    cq = json.loads((work / lint["artifacts"]["reports"]["codequality"]).read_text())
    jsonschema.validate(cq, json.loads((SCHEMAS / "gitlab-codequality.bulwark.json").read_text()))
    assert {i["check_name"] for i in cq} >= {"BW-DF-003"}  # the base image is not pinned
    p = run_script([lint_gate], work, env)
    assert p.returncode == 0, p.stdout + p.stderr  # nothing at "error" in these Dockerfiles
