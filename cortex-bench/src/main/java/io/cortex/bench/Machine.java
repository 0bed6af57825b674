package io.cortex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The machine a run happened on. */
record Machine(String nproc, String cpu, String ram, String javaVersion, String git, String os, String filesystem) {

  static Machine describe() {
    String cpu = "?";
    String ram = "?";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
      ram = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .findFirst().map(l -> {
            long kb = Long.parseLong(l.replaceAll("\\D", ""));
            return String.format(java.util.Locale.ROOT, "%.1f GiB (%s)", kb / 1024.0 / 1024.0, l.replaceAll("\\s+", " "));
          }).orElse("?");
    } catch (Exception e) {
      // not Linux: leave '?'
    }
    String nproc = run(List.of("nproc")).strip() + " (availableProcessors=" + Runtime.getRuntime().availableProcessors() + ")";
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String javaVersion = run(List.of(javaBin, "-version")).strip().replace('\n', ' ').replaceAll("\\s+", " ");
    String git = run(List.of("git", "--version")).strip();
    String os = run(List.of("uname", "-srm")).strip();
    String fs = run(List.of("df", "-T", System.getProperty("java.io.tmpdir"))).strip().replaceAll("\\s+", " ");
    return new Machine(nproc, cpu, ram, javaVersion, git, os, fs);
  }

  private static String run(List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (Exception e) {
      return "? (" + e.getMessage() + ")";
    }
  }

  Map<String, String> asMap() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("nproc", nproc);
    m.put("CPU", cpu);
    m.put("RAM", ram);
    m.put("java -version", javaVersion);
    m.put("git --version", git);
    m.put("OS", os);
    m.put("work filesystem (df -T)", filesystem);
    return m;
  }

  String text() {
    StringBuilder sb = new StringBuilder("Machine:\n");
    asMap().forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
    return sb.toString();
  }
}
