"""A target that names a file which is not there is an error about the file (exit 3,
naming it), never a Docker Engine or registry look-up of a name like "missing.tar"."""
import pytest


@pytest.mark.parametrize("target", ["./missing.tar", "missing.tar", "sub/../../missing.tar.gz",
                                    "../nowhere/img", "/nonexistent/dir", "archive.tgz"])
def test_missing_file_target_names_the_file(bulwark, tmp_path, target):
    rc, out, err = bulwark.run(["image", "--image-src", "engine", target], cwd=tmp_path,
                               env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"})
    assert rc == 3, err
    assert f"{target}: no such file or directory" in err
    assert "Engine" not in err and "registry" not in err
