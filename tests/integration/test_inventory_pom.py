"""Maven's pom.xml read by `fs DIR` (and every scan): the dependencies it declares, their
versions resolved from the same pom — <properties>, ${project.version} (the pom's own, else
its parent's), <dependencyManagement> — without the network; a version it cannot resolve
(a parent's property, a BOM, a range, none) is left out with a warning naming the pom and the
dependency. The vulnerable pinned version is a finding (tests/data/osv/records)."""
import json
import pathlib

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "osv"

POM = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE project [ <!ENTITY boom "&boom;&boom;"> ]>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>app</artifactId>
  <version>2.5.0</version>
  <!-- <version>9.9</version> -->
  <properties>
    <lib.version>1.${lib.minor}</lib.version>
    <lib.minor>1</lib.minor>
    <jackson.version><![CDATA[2.13.0]]></jackson.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.example</groupId><artifactId>managed</artifactId><version>3.0</version>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.example</groupId>
      <artifactId>lib</artifactId>
      <version>${lib.version}</version>
      <exclusions><exclusion><groupId>x</groupId><artifactId>y</artifactId></exclusion></exclusions>
    </dependency>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>app-core</artifactId>
      <version>${project.version}</version>
    </dependency>
    <dependency><groupId>org.example</groupId><artifactId>managed</artifactId></dependency>
    <dependency>
      <groupId>org.example</groupId><artifactId>from-parent</artifactId><version>${parent.prop}</version>
    </dependency>
    <dependency><groupId>org.example</groupId><artifactId>bom-managed</artifactId></dependency>
    <dependency>
      <groupId>org.example</groupId><artifactId>ranged</artifactId><version>[1.0,2.0)</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId><artifactId>junit</artifactId><version>4.12</version><scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.example</groupId><artifactId>amp&amp;name</artifactId><version>1.0</version>
    </dependency>
  </dependencies>
</project>
"""


def test_pom_dependencies_and_properties(bulwark, tmp_path):
    db = tmp_path / "db.sqlite"
    rc, _, err = bulwark.run(["db", "import", "--db", db, DATA / "records"])
    assert rc == 0, err
    root = tmp_path / "proj"
    (root / "svc").mkdir(parents=True)
    (root / "svc/pom.xml").write_text(POM)
    # a pom from the local repository is not the project's
    (root / "home/.m2/repository/x").mkdir(parents=True)
    (root / "home/.m2/repository/x/pom.xml").write_text(POM)
    rc, out, err = bulwark.run(["fs", "--db", db, "--db-max-age", "0", "--list-packages", "-f", "json", root])
    assert rc == 0, err
    doc = json.loads(out)
    pkgs = sorted((p["name"], p["version"], p["purl"], p["path"]) for p in doc["packages"])
    assert pkgs == [
        ("com.example:app-core", "2.5.0", "pkg:maven/com.example/app-core@2.5.0", "/svc/pom.xml"),
        ("com.fasterxml.jackson.core:jackson-databind", "2.13.0",
         "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0", "/svc/pom.xml"),
        ("org.example:amp&name", "1.0", "pkg:maven/org.example/amp%26name@1.0", "/svc/pom.xml"),
        ("org.example:lib", "1.1", "pkg:maven/org.example/lib@1.1", "/svc/pom.xml"),
        ("org.example:managed", "3.0", "pkg:maven/org.example/managed@3.0", "/svc/pom.xml"),
    ], pkgs
    assert all(p["ecosystem"] == "Maven" for p in doc["packages"])
    assert [(f["id"], f["package"]["name"]) for f in doc["findings"] if f["kind"] == "vulnerability"] == \
        [("BW-TEST-MAVEN-1", "org.example:lib")]
    w = [x for x in doc["warnings"] if x.startswith("/svc/pom.xml:")]
    assert len(w) == 1, doc["warnings"]
    assert "3 dependencies skipped" in w[0], w
    assert "org.example:from-parent (${parent.prop} is not defined in this pom)" in w[0], w
    assert "org.example:bom-managed (no version: a parent pom or a BOM manages it)" in w[0], w
    assert "org.example:ranged (version range [1.0,2.0))" in w[0], w
    assert not any("junit" in x or ".m2" in x for x in doc["warnings"]), doc["warnings"]


def test_pom_with_a_parent_and_broken_poms(bulwark, tmp_path):
    root = tmp_path / "proj"
    files = {
        # no version of its own: ${project.version} is the parent's
        "child/pom.xml": "<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>7.1</version>"
                         "</parent><artifactId>c</artifactId><dependencies><dependency><groupId>g</groupId>"
                         "<artifactId>sib</artifactId><version>${project.version}</version></dependency>"
                         "</dependencies></project>",
        # cut in the middle: what came before is kept, the rest is a warning
        "cut/pom.xml": "<project><dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId>"
                       "<version>1</version></dependency><dependency><groupId>c",
        # self-referencing properties end, nesting is bounded
        "loop/pom.xml": "<project><properties><a>${b}</a><b>${a}</b></properties><dependencies><dependency>"
                        "<groupId>l</groupId><artifactId>l</artifactId><version>${a}</version></dependency>"
                        "</dependencies></project>",
        "deep/pom.xml": "<project>" + "<x>" * 200 + "</x>" * 200 + "</project>",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    rc, out, err = bulwark.run(["fs", "--scanners", "packages", "--list-packages", "-f", "json", root])
    assert rc == 0, err
    doc = json.loads(out)
    assert sorted((p["name"], p["version"]) for p in doc["packages"]) == [("a:b", "1"), ("g:sib", "7.1")]
    w = doc["warnings"]
    assert any(x.startswith("/cut/pom.xml: not well-formed XML") for x in w), w
    assert any(x.startswith("/deep/pom.xml: not well-formed XML") for x in w), w
    assert any(x.startswith("/loop/pom.xml: 1 dependency skipped") and "l:l (properties nested more than 8"
               in x for x in w), w
