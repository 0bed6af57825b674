package io.cortex.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.cortex.testing.TempRepo;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Way in number 3 of docs/embedding.md: the one jar for a Camunda distribution's library folder. The jar is the one
 * this module builds before its tests (see the pom); the engine that runs it is a bare Camunda engine in a child
 * JVM, brought up from a bpm-platform.xml by Camunda's own container classes.
 */
@Tag("slow")
class DistributionJarTest {

  private static final Path PLUGIN_JAR = Path.of(System.getProperty("cortex.pluginJar", "target/missing.jar"));
  private static final Path ENGINE_CLASSPATH =
      Path.of(System.getProperty("cortex.engineClasspath", "target/engine-classpath.txt"));

  @TempDir
  Path temp;

  @Test
  void engineWithOnlyItsOwnJarsAndThePluginJarRunsAPlanningSessionFromBpmPlatformXmlWithCortexsConfigFile() throws Exception {
    // given
    TempRepo repo = TempRepo.init(temp);
    repo.write("README.md", "# app\n").commitAll("init");
    repo.write("notes.txt", "work in progress\n");
    Path yaml = Files.writeString(temp.resolve("cortex.yaml"), "checkpoint:\n  maxCheckpoints: 9\n");
    List<String> engineJars = Arrays.asList(Files.readString(ENGINE_CLASSPATH).strip().split(File.pathSeparator));
    assertThat(engineJars).as("the engine's class path brings none of what the plugin jar must bring")
        .noneMatch(jar -> jar.contains("jgit") || jar.contains("jackson") || jar.contains("snakeyaml")
            || jar.contains("cortex"));

    // when
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-cp",
        String.join(File.pathSeparator, engineJars) + File.pathSeparator + PLUGIN_JAR.toAbsolutePath(),
        "-Dbpm.platform.xml=" + resource("distribution/bpm-platform.xml"), "-Dcortex.configFile=" + yaml,
        resource("distribution/PlatformSession.java").toString(),
        repo.dir().toString(), "dist-001"));
    Run run = run(command, temp.resolve("child.log"));

    // then
    assertThat(run.exitCode()).as("child JVM output:%n%s", run.output()).isZero();
    List<String> checkpoints = run.output().lines().filter(line -> line.startsWith("CHECKPOINT ")).toList();
    assertThat(checkpoints).extracting(line -> line.split(" ")[1])
        .containsExactly("session-start", "dor-1", "implementation-1", "dod-1");
    for (String line : checkpoints) {
      String[] fields = line.split(" ");
      assertThat(repo.git("rev-parse", "refs/cortex/checkpoints/dist-001/" + fields[1]).trim())
          .as("ref of %s", fields[1]).isEqualTo(fields[3]);
    }
    assertThat(repo.git("show", "refs/cortex/checkpoints/dist-001/dod-1:notes.txt")).isEqualTo("work in progress\n");
    assertThat(run.output()).as("the plugin's configFile property in bpm-platform.xml")
        .contains("CONFIG maxCheckpoints=9");
    assertThat(run.output()).as("Cortex's classes come from the plugin jar")
        .contains("PLUGIN-FROM file:" + PLUGIN_JAR.toAbsolutePath());
  }

  @Test
  void pluginJarBringsJGitAndRelocatedJacksonAndSnakeYamlButNeitherTheEngineNorH2NorSlf4j() throws IOException {
    // when
    List<String> entries;
    try (JarFile jar = new JarFile(PLUGIN_JAR.toFile())) {
      entries = jar.stream().map(ZipEntry::getName).toList();
    }

    // then
    assertThat(entries).contains("io/cortex/engine/CortexProcessEnginePlugin.class", "io/cortex/Cortex.class",
        "processes/planning.bpmn", "processes/operator-decision.form",
        "org/eclipse/jgit/api/Git.class", "org/eclipse/jgit/internal/JGitText.properties",
        "io/cortex/shaded/jackson/databind/ObjectMapper.class", "io/cortex/shaded/snakeyaml/Yaml.class");
    assertThat(entries).noneMatch(e -> e.startsWith("com/fasterxml/") || e.startsWith("org/yaml/")
        || e.startsWith("org/camunda/") || e.startsWith("org/h2/") || e.startsWith("org/slf4j/")
        || e.startsWith("ch/qos/logback/") || e.startsWith("org/springframework/"));
    assertThat(entries).as("no signature of JGit's signed jar, no module descriptor naming unrelocated packages")
        .noneMatch(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)") || e.endsWith("module-info.class"));
    assertThat(entries).as("nothing that changes a host's settings")
        .doesNotContain("application.yaml", "application.properties", "logback.xml", "logback-spring.xml",
            "META-INF/services/ch.qos.logback.classic.spi.Configurator");
  }

  private record Run(int exitCode, String output) {
  }

  private static Run run(List<String> command, Path log) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!process.waitFor(4, TimeUnit.MINUTES)) {
        throw new AssertionError("child JVM did not finish in 4 minutes:\n" + Files.readString(log));
      }
      return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(DistributionJarTest.class.getClassLoader().getResource(name).toURI());
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
