package io.convoforge.family.scenario;

import io.convoforge.cli.Main;
import io.convoforge.core.family.Families;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * One process of {@link TwoRunsAtOnceTest}: loads the families, prints {@code ready}, waits for
 * a line on stdin (the test sends it to every process at once), then runs the command line
 * {@code args} as {@code convoforge} would and exits with its code.
 */
public final class RunAfterGo {
  private RunAfterGo() {}

  public static void main(String[] args) throws Exception {
    Families.all();
    System.out.println("ready");
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    System.exit(Main.execute(args));
  }
}
