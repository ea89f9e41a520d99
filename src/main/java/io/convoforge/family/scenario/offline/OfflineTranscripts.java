package io.convoforge.family.scenario.offline;

import io.convoforge.core.input.InputException;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.scenario.model.Message;
import io.convoforge.family.scenario.model.Role;
import io.convoforge.family.scenario.offline.CallScript.Move;
import io.convoforge.family.scenario.spec.PromptSpec;
import io.convoforge.family.scenario.spec.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The offline backend of the scenario-dialogue family: writes a whole call for one scenario from
 * the phrase bank of the spec's language, no model involved.
 *
 * <p>In: a scenario of the spec, the conversation id and the run seed. Out: exactly {@code turns}
 * messages alternating from the spec's {@code first} speaker, without timestamps (see {@code
 * Timeline}). The call follows a {@link CallScript} — greeting and identification, intent,
 * progression steps, resolution, recap, closing — and each client message answers the agent's
 * previous move; the details (names, customer number, reference, phone, a date before the spec's
 * start, an amount) are drawn once per call from (run seed, conversation id) and reused whenever
 * mentioned. The scenario's intent, its progression steps and outcome, its optional {@code detail}
 * and the tone class of its {@code tone} fill the sentences. Deterministic; a few small
 * allocations per message.
 *
 * <p>Fails when built: {@link InputException} naming the spec and the missing bank when the
 * spec's language has none, or naming the bank entry or scenario line that is malformed.
 */
public final class OfflineTranscripts implements Serializable {
  /** Where banks live, relative to the working directory (also packaged in the jar). */
  public static final String BANK_DIR = "transforms/scenario-dialogue/phrases";

  private final PromptSpec spec;
  private final PhraseBook bank;
  private final String bankRef;
  private final Map<String, Prepared> prepared = new HashMap<>();

  private OfflineTranscripts(PromptSpec spec, String bankFile, String bankText) {
    this.spec = spec;
    this.bank = PhraseBook.parse(bankFile, bankText);
    this.bankRef = Path.of(bankFile).getFileName() + "@" + Seeds.hash(bankText);
    for (Scenario s : spec.scenarios()) {
      prepared.put(s.id(), prepare(s));
    }
  }

  /** The bank from {@link #BANK_DIR} under the working directory, else from the classpath. */
  public static OfflineTranscripts forSpec(PromptSpec spec) {
    Path dir = Path.of(BANK_DIR);
    for (String name : bankNames(spec)) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return forSpec(spec, dir);
      }
    }
    for (String name : bankNames(spec)) {
      String resource = "/" + BANK_DIR + "/" + name;
      try (InputStream in = OfflineTranscripts.class.getResourceAsStream(resource)) {
        if (in != null) {
          return new OfflineTranscripts(spec, "classpath:" + resource,
              new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw missingBank(spec, dir);
  }

  /** The bank {@code <language>.yaml} (full tag first, then primary subtag) from {@code dir}. */
  public static OfflineTranscripts forSpec(PromptSpec spec, Path dir) {
    for (String name : bankNames(spec)) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        try {
          return new OfflineTranscripts(spec, p.toString(), Files.readString(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw missingBank(spec, dir);
  }

  public PromptSpec spec() {
    return spec;
  }

  /** The bank used, as {@code file@hash}, for lineage. */
  public String bankRef() {
    return bankRef;
  }

  /** Writes the call of {@code conversationId} under {@code scenario}. */
  public List<Message> write(Scenario scenario, String conversationId, long runSeed) {
    Prepared p = prepared.get(scenario.id());
    if (p == null) {
      throw new IllegalArgumentException("scenario " + scenario.id() + " is not in " + spec.file());
    }
    SplittableRandom r = new SplittableRandom(Seeds.of(runSeed, conversationId, "offline-call"));
    String[] v = details(r, p);
    int fillerStart = r.nextInt(bank.fillerAgent.length);
    int stepTurn = r.nextInt(64);
    int replyTurn = r.nextInt(64);
    CallScript script = p.script;
    Message[] out = new Message[spec.turns()];
    StringBuilder sb = new StringBuilder(192);
    for (int i = 0; i < out.length; i++) {
      sb.setLength(0);
      Move m = script.move(i);
      int turn = script.agentTurn(i);
      switch (m) {
        case STEP: {
          int from = script.stepFrom[turn];
          int to = script.stepTo[turn];
          if (to - from == 1) {
            v[Slot.STEP.ordinal()] = p.steps[from];
            rotate(bank.sentences("agent.step", p.tone), stepTurn++).render(sb, v);
          } else {
            v[Slot.STEP.ordinal()] = join(p.steps, from, to - 1);
            v[Slot.NEXT_STEP.ordinal()] = p.steps[to - 1];
            pick(bank.sentences("agent.steps", p.tone), r).render(sb, v);
          }
          break;
        }
        case FILLER:
          bank.fillerAgent[(fillerStart + script.stepFrom[turn]) % bank.fillerAgent.length]
              .render(sb, v);
          break;
        case FILLER_REPLY:
          bank.fillerClient[(fillerStart + script.stepFrom[turn]) % bank.fillerClient.length]
              .render(sb, v);
          break;
        case STEP_REPLY:
          rotate(bank.sentences("client.step_reply", p.tone), replyTurn++).render(sb, v);
          break;
        case DETAIL:
          pick(bank.sentences(p.detail == null ? "client.detail" : "client.detail_lead", p.tone),
              r).render(sb, v);
          break;
        case OPENING:
        case INTENT:
          pick(bank.sentences(p.key(m), p.tone), r).render(sb, v);
          if (!script.acknowledges && p.detail != null) {
            sb.append(' ').append(v[Slot.DETAIL.ordinal()]);
          }
          break;
        default:
          pick(bank.sentences(p.key(m), p.tone), r).render(sb, v);
      }
      out[i] = new Message(Role.at(spec.first(), i), sb.toString(), null);
    }
    return List.of(out);
  }

  private String[] details(SplittableRandom r, Prepared p) {
    String[] v = new String[Slot.VALUES.length];
    v[Slot.AGENT.ordinal()] = pick(bank.agentNames, r);
    String client = pick(bank.clientNames, r);
    v[Slot.CLIENT.ordinal()] = client;
    v[Slot.CLIENT_FULL.ordinal()] = client + " " + pick(bank.surnames, r);
    v[Slot.COMPANY.ordinal()] = spec.company() != null ? spec.company() : bank.company;
    v[Slot.ACCOUNT.ordinal()] = fill(bank.account, r);
    v[Slot.REF.ordinal()] = fill(bank.ref, r);
    v[Slot.PHONE.ordinal()] = fill(bank.phone, r);
    v[Slot.POSTCODE.ordinal()] = fill(bank.postcode, r);
    if (spec.timing() != null) {
      LocalDate d = spec.timing().start().toLocalDate().minusDays(1 + r.nextInt(45));
      v[Slot.DAY.ordinal()] = Integer.toString(d.getDayOfMonth());
      v[Slot.MONTH.ordinal()] = bank.months[d.getMonthValue() - 1];
    } else {
      v[Slot.DAY.ordinal()] = Integer.toString(1 + r.nextInt(28));
      v[Slot.MONTH.ordinal()] = bank.months[r.nextInt(12)];
    }
    v[Slot.DATE.ordinal()] = bank.date.render(v);
    v[Slot.UNITS.ordinal()] = grouped(bank.amountMin + r.nextInt(bank.amountMax - bank.amountMin
        + 1));
    int cents = r.nextInt(20) * 5;
    v[Slot.CENTS.ordinal()] = cents < 10 ? "0" + cents : Integer.toString(cents);
    v[Slot.AMOUNT.ordinal()] = bank.amount.render(v);
    v[Slot.INTENT.ordinal()] = p.intent;
    v[Slot.OUTCOME.ordinal()] = p.outcome;
    v[Slot.DETAIL.ordinal()] = p.detail == null ? "" : p.detail.render(v);
    return v;
  }

  private Prepared prepare(Scenario s) {
    List<String> steps = s.progressionSteps();
    String[] before = new String[steps.size() - 1];
    for (int i = 0; i < before.length; i++) {
      before[i] = phrase(steps.get(i));
    }
    Template detail = null;
    if (s.field("detail") != null && !s.field("detail").isBlank()) {
      try {
        detail = Template.compile(s.field("detail").strip());
      } catch (IllegalArgumentException e) {
        throw new InputException(spec.file(), "line " + s.line(), "scenario " + s.id()
            + ", detail: " + e.getMessage());
      }
    }
    return new Prepared(phrase(s.intent()), before, phrase(s.outcome()), detail,
        bank.toneOf(s.tone()), new CallScript(spec.first(), spec.turns(), before.length));
  }

  /** A spec phrase as spoken mid-sentence: no final stop, lower-case start unless an acronym. */
  private static String phrase(String s) {
    String t = s.strip();
    while (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1).stripTrailing();
    }
    if (t.length() > 1 && Character.isUpperCase(t.charAt(0))
        && !Character.isUpperCase(t.charAt(1))) {
      t = Character.toLowerCase(t.charAt(0)) + t.substring(1);
    }
    return t;
  }

  private String grouped(int units) {
    String digits = Integer.toString(units);
    if (bank.thousands.isEmpty() || digits.length() <= 3) {
      return digits;
    }
    StringBuilder sb = new StringBuilder(digits);
    for (int i = digits.length() - 3; i > 0; i -= 3) {
      sb.insert(i, bank.thousands);
    }
    return sb.toString();
  }

  private String join(String[] steps, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      if (i > from) {
        sb.append(i == to - 1 ? " " + bank.and + " " : ", ");
      }
      sb.append(steps[i]);
    }
    return sb.toString();
  }

  private static String fill(String pattern, SplittableRandom r) {
    char[] c = pattern.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (c[i] == '#') {
        c[i] = (char) ('0' + r.nextInt(10));
      } else if (c[i] == '@') {
        c[i] = (char) ('A' + r.nextInt(26));
      }
    }
    return new String(c);
  }

  private static <T> T pick(T[] options, SplittableRandom r) {
    return options[r.nextInt(options.length)];
  }

  private static Template rotate(Template[] options, int turn) {
    return options[turn % options.length];
  }

  private static List<String> bankNames(PromptSpec spec) {
    return List.of(spec.language() + ".yaml", spec.primaryLanguage() + ".yaml");
  }

  private static InputException missingBank(PromptSpec spec, Path dir) {
    return new InputException(spec.file(), "language", "no offline phrase bank for language '"
        + spec.language() + "': expected " + dir.resolve(spec.primaryLanguage() + ".yaml")
        + " (add one, or generate with an LLM backend)");
  }

  /** A scenario made ready once: cleaned phrases, tone class, call shape. */
  private record Prepared(String intent, String[] steps, String outcome, Template detail,
      int tone, CallScript script) implements Serializable {
    String key(Move m) {
      switch (m) {
        case GREETING: return "agent.greeting";
        case GREETING_REPLY: return "agent.greeting_reply";
        case ASK_IDENTITY: return "agent.ask_identity";
        case ACKNOWLEDGE: return "agent.acknowledge";
        case RESOLUTION: return "agent.resolution";
        case RECAP: return "agent.recap";
        case RECAP_CLOSE: return "agent.recap_close";
        case RESOLUTION_CLOSE: return "agent.resolution_close";
        case CLOSING: return "agent.closing";
        case OPENING: return "client.opening";
        case INTENT: return "client.intent";
        case IDENTITY: return "client.identity";
        case CONFIRM: return "client.confirm";
        case NOTHING_ELSE: return "client.nothing_else";
        case GOODBYE: return "client.goodbye";
        default: throw new IllegalStateException(m.name());
      }
    }
  }
}
