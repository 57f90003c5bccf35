"""multi-stage for Java (Maven and Gradle): the JRE runner of the same vendor, Java version and
libc (runner_images.jre_runner), the jar the build writes checked against the start command,
the deps stage from the manifests and wrapper files, Spring Boot's layered extraction with its
launcher, and the declines (WAR, the build tool at run time, unknown JRE, ambiguous jar).
The fixtures are in corpus/multi-stage/java-* (run by tests/test_multi_stage.py); the sample
app corpus/samples/java-maven is built before and after by tests/test_samples_build.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from refactor.codemods.base import Context
from refactor.codemods.multi_stage import CODEMOD
from refactor.knowledge.context import BuildContext
from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge.ecosystems.java import boot_launcher, gradle_jars, maven_jars
from refactor.knowledge.runner_images import jre_runner, parse_base, runner_kind
from refactor.syntax.parser import parse_dockerfile

SELECT = make_selection(["multi-stage"])
CORPUS = ROOT / "corpus" / "multi-stage"


def run(root: Path, files: dict[str, str], dockerfile: str):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        if rel in ("mvnw", "gradlew"):
            p.chmod(0o755)
    path = root / "Dockerfile"
    path.write_text(dockerfile)
    return refactor_text(dockerfile, path=path, selection=SELECT)


def reasons(result) -> list[str]:
    return [s.reason for s in result.skips if s.codemod == "multi-stage"]


POM = """<project><modelVersion>4.0.0</modelVersion>
{parent}<groupId>g</groupId><artifactId>{artifact}</artifactId><version>{version}</version>{packaging}
<build>{final}<plugins>{plugins}</plugins></build></project>
"""
BOOT_PLUGIN = "<plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin>"


def pom(artifact="app", version="1.0", parent="", packaging="", final="", plugins="") -> str:
    return POM.format(artifact=artifact, version=version, parent=parent, packaging=packaging, final=final, plugins=plugins)


def boot_parent(v: str) -> str:
    return (f"<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>"
            f"<version>{v}</version></parent>")


SRC = {"src/main/java/a/App.java": "package a;\npublic class App { public static void main(String[] a) {} }\n"}


# --- the runner image ------------------------------------------------------------------------


@pytest.mark.parametrize("image, jre", [
    ("eclipse-temurin:17-jdk", "eclipse-temurin:17-jre"),
    ("eclipse-temurin:17", "eclipse-temurin:17-jre"),
    ("eclipse-temurin:21-jdk-jammy", "eclipse-temurin:21-jre-jammy"),
    ("eclipse-temurin:17.0.9_9-jdk-alpine", "eclipse-temurin:17-jre-alpine"),
    ("maven:3.9-eclipse-temurin-17", "eclipse-temurin:17-jre"),
    ("maven:3.9.6-eclipse-temurin-21-alpine", "eclipse-temurin:21-jre-alpine"),
    ("maven:3-jdk-11-slim", "openjdk:11-jre-slim"),
    ("gradle:8.5-jdk17", "eclipse-temurin:17-jre"),
    ("gradle:jdk21-alpine", "eclipse-temurin:21-jre-alpine"),
    ("openjdk:11-jdk-slim", "openjdk:11-jre-slim"),
    ("openjdk:8-jdk-alpine", "openjdk:8-jre-alpine"),
])
def test_jre_of_the_same_vendor_version_and_libc(image, jre):
    assert jre_runner(parse_base(image)) == (jre, "")
    assert runner_kind(jre) == ("alpine" if "alpine" in image else "debian")


@pytest.mark.parametrize("image, why", [
    ("openjdk:17-jdk-slim", "no JRE for Java 17"),
    ("maven:3.8-openjdk-17", "no JRE for Java 17"),
    ("amazoncorretto:17", "corretto"),
    ("maven:3.9-ibm-semeru-17-focal", "ibm-semeru"),
    ("eclipse-temurin:19-jdk", "no JRE image for Java 19"),
    ("eclipse-temurin:17-jre", "already a JRE"),
    ("eclipse-temurin:17-jdk-ubi9-minimal", "ubi9-minimal"),
    ("maven:3.9", "names no JDK vendor"),
    ("gradle:8.5", "names no Java version"),
    ("gradle:8-jdk17-graal", "graal"),
])
def test_no_known_jre_is_a_reason(image, why):
    runner, reason = jre_runner(parse_base(image))
    assert runner is None and why in reason


# --- what the build writes ----------------------------------------------------------------------


def test_maven_jar_name_from_final_name_and_parent_version():
    text = pom(artifact="svc", version="", parent=boot_parent("3.1.2"), final="<finalName>${project.artifactId}-x</finalName>")
    jars = maven_jars(text.replace("<version></version>", ""), ["clean", "package"])
    assert jars.jars == ["target/svc-x.jar"] and jars.problem is None and jars.boot_jar is None
    assert maven_jars(pom(), ["compile"]).jars == []  # no jar without package


def test_maven_spring_boot_version_and_launcher():
    jars = maven_jars(pom(parent=boot_parent("2.7.18"), plugins=BOOT_PLUGIN), ["package"])
    assert jars.boot_jar == "target/app-1.0.jar" and jars.boot_version == "2.7.18"
    assert boot_launcher("2.7.18") == "org.springframework.boot.loader.JarLauncher"
    assert boot_launcher("3.2.0") == "org.springframework.boot.loader.launch.JarLauncher"
    assert boot_launcher("2.3.12") is None and boot_launcher(None) is None


@pytest.mark.parametrize("text, why", [
    (pom(packaging="<packaging>war</packaging>"), "servlet container"),
    (pom().replace("<build>", "<modules><module>a</module></modules><build>"), "multi-module"),
    (pom(version="${revision}"), "property I cannot resolve"),
    (pom(plugins="<plugin><artifactId>maven-dependency-plugin</artifactId><goals><goal>copy-dependencies</goal></goals></plugin>"),
     "class path"),
])
def test_maven_jar_unknown(text, why):
    assert why in maven_jars(text, ["package"]).problem


def test_gradle_jars():
    boot = "plugins {\n  id 'org.springframework.boot' version '3.2.1'\n}\nversion = '0.1'\n"
    out = gradle_jars(boot, "rootProject.name = 'demo'\n", "", "app", ["build"])
    assert out.jars == ["build/libs/demo-0.1.jar", "build/libs/demo-0.1-plain.jar"] and out.boot_version == "3.2.1"
    assert gradle_jars("plugins { id 'java' }\n", "", "", "work", ["jar"]).jars == ["build/libs/work.jar"]
    assert "computed by code" in gradle_jars("jar { archiveFileName = 'x.jar' }\n", "", "", "a", ["build"]).problem
    assert "multi-project" in gradle_jars("", "include 'api'\n", "", "a", ["build"]).problem


@pytest.mark.parametrize("setting", [
    "<loaderImplementation>CLASSIC</loaderImplementation>",  # 3.2+: the launcher keeps its old package
    "<layout>ZIP</layout>",  # PropertiesLauncher
    "<layers><enabled>false</enabled></layers>",  # no layertools jar mode
    "<executable>true</executable>",  # a launch script in front: the extraction writes empty folders
])
def test_boot_jar_with_its_own_launcher_or_layers_is_copied_whole(tmp_path, setting):
    plugin = BOOT_PLUGIN.replace("</plugin>", f"<configuration>{setting}</configuration></plugin>")
    r = run(tmp_path, {"pom.xml": pom(parent=boot_parent("3.2.4"), plugins=plugin), **SRC},
            "FROM maven:3.9-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\n"
            'CMD ["java", "-jar", "target/app-1.0.jar"]\n')
    assert "layertools" not in r.output and "JarLauncher" not in r.output
    assert "COPY --from=builder /app/target/app-1.0.jar ./target/" in r.output
    assert 'CMD ["java", "-jar", "target/app-1.0.jar"]' in r.output


def test_gradle_boot_layering_or_loader_settings_are_noticed():
    head = "plugins {\n  id 'org.springframework.boot' version '3.2.1'\n}\nversion = '0.1'\n"
    assert gradle_jars(head, "", "", "app", ["bootJar"]).boot_custom is None
    for body in ("bootJar {\n  layered {\n    enabled = false\n  }\n}\n",
                 "bootJar {\n  loaderImplementation = org.springframework.boot.loader.tools.LoaderImplementation.CLASSIC\n}\n",
                 "bootJar {\n  manifest { attributes 'Main-Class': 'org.springframework.boot.loader.PropertiesLauncher' }\n}\n",
                 "bootJar {\n  launchScript()\n}\n"):
        assert gradle_jars(head + body, "", "", "app", ["bootJar"]).boot_custom, body


# --- the split --------------------------------------------------------------------------------------


def test_entrypoint_of_a_layered_spring_boot_2_jar_starts_its_launcher(tmp_path):
    r = run(tmp_path, {"pom.xml": pom(artifact="demo", version="0.1", parent=boot_parent("2.7.18"), plugins=BOOT_PLUGIN), **SRC},
            "FROM maven:3.8-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\n"
            'ENTRYPOINT ["java", "-Xmx512m", "-jar", "target/demo-0.1.jar", "--server.port=8081"]\n')
    runner = parse_dockerfile(r.output).stages[-1]
    assert runner.base_image == "eclipse-temurin:17-jre"
    assert [i.value for i in runner.instructions if i.cmd == "ENTRYPOINT"] == [
        ("java", "-Xmx512m", "org.springframework.boot.loader.JarLauncher", "--server.port=8081")]
    copies = [i.value[0] for i in runner.instructions if i.cmd == "COPY"]
    assert [c.split("/")[2] for c in copies] == ["dependencies", "spring-boot-loader", "snapshot-dependencies", "application"]
    assert "java -Djarmode=layertools -jar /app/target/demo-0.1.jar extract --destination /layers" in r.output


def test_shell_form_start_of_a_boot_jar_is_rewritten_and_old_boot_copies_the_jar(tmp_path):
    r = run(tmp_path / "a", {"pom.xml": pom(parent=boot_parent("3.3.0"), plugins=BOOT_PLUGIN), **SRC},
            "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD java $JAVA_OPTS -jar target/app-1.0.jar\n")
    assert "$JAVA_OPTS" in r.output and "CMD java $JAVA_OPTS -jar target/app-1.0.jar" in r.output  # a variable: kept whole
    assert "COPY --from=builder /app/target/app-1.0.jar ./target/" in r.output
    r = run(tmp_path / "b", {"pom.xml": pom(parent=boot_parent("3.2.2"), plugins=BOOT_PLUGIN), **SRC},
            "FROM maven:3.9-eclipse-temurin-21\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD java -jar target/app-1.0.jar\n")
    assert "CMD java org.springframework.boot.loader.launch.JarLauncher\n" in r.output
    r = run(tmp_path / "c", {"pom.xml": pom(parent=boot_parent("2.3.4.RELEASE"), plugins=BOOT_PLUGIN), **SRC},
            "FROM maven:3.6-jdk-11\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]\n")
    assert "FROM openjdk:11-jre AS runner" in r.output and "layertools" not in r.output
    assert "COPY --from=builder /app/target/app-1.0.jar ./target/" in r.output


def test_alpine_jdk_gets_an_alpine_jre_and_busybox_user(tmp_path):
    r = run(tmp_path, {"pom.xml": pom(), **SRC},
            "FROM maven:3.9-eclipse-temurin-17-alpine\nWORKDIR /app\nCOPY . .\nRUN mvn -B package\nCMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]\n")
    assert "FROM eclipse-temurin:17-jre-alpine AS runner" in r.output
    assert "addgroup -S -g 10001 app" in r.output and "USER 10001:10001" in r.output


def test_runner_base_of_another_libc_is_refused(tmp_path):
    run(tmp_path, {"pom.xml": pom(), **SRC}, "")
    df = parse_dockerfile("FROM eclipse-temurin:17-jdk-alpine\nWORKDIR /app\nCOPY . .\nRUN mvn package\n"
                          "CMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]\n")
    ctx = Context(path=tmp_path / "Dockerfile", build_context=BuildContext(tmp_path),
                  options={"runner_base": "eclipse-temurin:17-jre"})
    assert CODEMOD.transform(df, ctx) is df
    assert "C library" in ctx.skips[0].reason


def test_wrapper_deps_stage_copies_the_wrapper_folder(tmp_path):
    files = {"pom.xml": pom(), "mvnw": "#!/bin/sh\n", ".mvn/wrapper/maven-wrapper.properties": "distributionUrl=x\n", **SRC}
    r = run(tmp_path, files, "FROM eclipse-temurin:17-jdk\nWORKDIR /app\nCOPY . .\nRUN ./mvnw -B package\n"
                             "CMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]\n")
    deps = r.output.split("FROM deps AS builder")[0]
    assert "COPY pom.xml mvnw ./\nCOPY .mvn ./.mvn/\nRUN ./mvnw -B dependency:go-offline\n" in deps
    assert "src" not in deps


def test_wrapper_without_exec_bit_gets_chmod(tmp_path):
    files = {"build.gradle": "plugins { id 'java' }\n", "settings.gradle": "rootProject.name = 'w'\n",
             "gradle/wrapper/gradle-wrapper.properties": "distributionUrl=x\n", **SRC}
    run(tmp_path, files, "")
    (tmp_path / "gradlew").write_text("#!/bin/sh\n")  # not executable
    df = ("FROM eclipse-temurin:17-jdk\nWORKDIR /app\nCOPY . .\nRUN chmod +x gradlew && ./gradlew jar\n"
          "CMD [\"java\", \"-jar\", \"build/libs/w.jar\"]\n")
    (tmp_path / "Dockerfile").write_text(df)
    r = refactor_text(df, path=tmp_path / "Dockerfile", selection=SELECT)
    assert "RUN chmod +x gradlew && ./gradlew dependencies --no-daemon" in r.output
    assert "COPY --from=builder /app/build/libs/w.jar ./build/libs/" in r.output


def test_gradle_script_reading_files_gets_no_deps_stage(tmp_path):
    files = {"build.gradle": "plugins { id 'java' }\napply from: 'versions.gradle'\n", "versions.gradle": "",
             "settings.gradle": "rootProject.name = 'w'\n", **SRC}
    r = run(tmp_path, files, "FROM gradle:8-jdk17\nWORKDIR /app\nCOPY . .\nRUN gradle jar\nCMD [\"java\", \"-jar\", \"build/libs/w.jar\"]\n")
    assert "gradle dependencies" not in r.output and "FROM eclipse-temurin:17-jre AS runner" in r.output
    assert "reads other files" in r.edits[0].rationale


@pytest.mark.parametrize("start, why", [
    ('CMD ["java", "-cp", "target/classes", "a.App"]', "class path"),
    ('CMD ["./gradlew", "bootRun"]', "Gradle builds at run time"),
    ('CMD ["java", "-jar", "target/other.jar"]', "cannot tell which built file"),
    ('CMD ["sh", "/app/run.sh"]', "no `java -jar`"),
])
def test_start_commands_declined(tmp_path, start, why):
    r = run(tmp_path, {"pom.xml": pom(), "run.sh": "java -jar x.jar\n", **SRC},
            f"FROM maven:3.9-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn package\n{start}\n")
    assert r.output == r.original and any(why in x for x in reasons(r)), reasons(r)


def test_java_fixtures_cover_the_shapes():
    names = {d.name for d in CORPUS.iterdir() if d.name.startswith("java-")}
    assert {"java-maven", "java-maven-wrapper", "java-gradle", "java-gradle-kts", "java-spring-boot-layered", "java-gradle-spring-boot",
            "java-decline-war", "java-decline-spring-boot-run", "java-decline-unknown-jdk",
            "java-decline-ambiguous-jar"} <= names
    for n in names:
        assert (CORPUS / n / "Dockerfile.after").exists() != (CORPUS / n / "skip.txt").exists(), n


def test_sh_c_start_and_cache_mount_build(tmp_path):
    r = run(tmp_path, {"pom.xml": pom(), **SRC},
            "# syntax=docker/dockerfile:1\nFROM maven:3.9-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\n"
            "RUN --mount=type=cache,target=/root/.m2 mvn -B package\n"
            'ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar target/app-1.0.jar"]\n')
    assert "FROM eclipse-temurin:17-jre AS runner" in r.output
    assert "dependency:go-offline" not in r.output and "cache mount" in r.edits[0].rationale
    assert "COPY --from=builder /app/target/app-1.0.jar ./target/" in r.output


def test_go_offline_after_the_source_moves_only_without_a_config_folder(tmp_path):
    df = ("FROM maven:3.9-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn -B dependency:go-offline\n"
          "RUN mvn -B package\nCMD [\"java\", \"-jar\", \"target/app-1.0.jar\"]\n")
    r = run(tmp_path / "a", {"pom.xml": pom(), **SRC}, df)
    assert r.output.split("FROM deps AS builder")[0].endswith("COPY pom.xml ./\nRUN mvn -B dependency:go-offline\n\n")
    # .mvn/extensions.xml can change how dependencies resolve: the resolution stays after the source
    r = run(tmp_path / "b", {"pom.xml": pom(), ".mvn/extensions.xml": "<extensions/>\n", **SRC}, df)
    assert "FROM deps AS builder\nCOPY . .\nRUN mvn -B dependency:go-offline\n" in r.output


def test_profile_that_renames_the_jar_is_declined(tmp_path):
    text = pom().replace("</project>", "<profiles><profile><id>prod</id><build><finalName>x</finalName></build></profile></profiles></project>")
    r = run(tmp_path, {"pom.xml": text, **SRC},
            "FROM maven:3.9-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn -B -P prod package\nCMD [\"java\", \"-jar\", \"target/x.jar\"]\n")
    assert r.output == r.original and any("profile renames" in x for x in reasons(r)), reasons(r)
