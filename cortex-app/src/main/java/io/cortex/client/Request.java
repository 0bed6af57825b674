package io.cortex.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One call of the thin client: what the command line would have seen had it run in-process — its arguments,
 * working directory, the environment that matters to Cortex, the user, and whether standard output and error
 * are terminals (with the terminal's width).
 *
 * @param kind {@link Wire#RUN}, {@link Wire#STATUS} or {@link Wire#STOP}
 * @param build the launcher's build id; a resident process of another build hands over to a new one
 */
public record Request(byte kind, String build, String cwd, List<String> args, Map<String, String> environment,
                      String user, boolean stdoutTerminal, boolean stderrTerminal, int columns) {

  public Request {
    args = List.copyOf(args);
    environment = Map.copyOf(environment);
  }

  /** The variables a command may read: Cortex's own, and what identifies the user and the terminal. */
  public static Map<String, String> relevant(Map<String, String> environment) {
    Map<String, String> relevant = new LinkedHashMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith("CORTEX_") || List.of("USER", "LOGNAME", "HOME", "TERM", "NO_COLOR", "COLUMNS").contains(name)) {
        relevant.put(name, value);
      }
    });
    return relevant;
  }

  public void write(DataOutputStream out) throws IOException {
    out.writeInt(Wire.MAGIC);
    out.writeInt(Wire.VERSION);
    out.writeByte(kind);
    Wire.writeString(out, build);
    Wire.writeString(out, cwd);
    out.writeInt(args.size());
    for (String arg : args) {
      Wire.writeString(out, arg);
    }
    out.writeInt(environment.size());
    for (Map.Entry<String, String> e : environment.entrySet()) {
      Wire.writeString(out, e.getKey());
      Wire.writeString(out, e.getValue());
    }
    Wire.writeString(out, user);
    out.writeBoolean(stdoutTerminal);
    out.writeBoolean(stderrTerminal);
    out.writeInt(columns);
    out.flush();
  }

  public static Request read(DataInputStream in) throws IOException {
    if (in.readInt() != Wire.MAGIC) {
      throw new IOException("not a Cortex client");
    }
    int version = in.readInt();
    if (version != Wire.VERSION) {
      throw new IOException("client protocol " + version + ", this resident process speaks " + Wire.VERSION);
    }
    byte kind = in.readByte();
    String build = Wire.readString(in);
    String cwd = Wire.readString(in);
    int argc = in.readInt();
    List<String> args = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      args.add(Wire.readString(in));
    }
    int envc = in.readInt();
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < envc; i++) {
      env.put(Wire.readString(in), Wire.readString(in));
    }
    String user = Wire.readString(in);
    boolean stdoutTerminal = in.readBoolean();
    boolean stderrTerminal = in.readBoolean();
    int columns = in.readInt();
    return new Request(kind, build, cwd, args, env, user, stdoutTerminal, stderrTerminal, columns);
  }
}
