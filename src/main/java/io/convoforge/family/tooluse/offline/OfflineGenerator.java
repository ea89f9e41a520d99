package io.convoforge.family.tooluse.offline;

import io.convoforge.core.model.RejectException;
import io.convoforge.core.util.Seeds;
import io.convoforge.family.tooluse.ToolUseContext;
import io.convoforge.family.tooluse.backend.Generator;
import io.convoforge.family.tooluse.gen.ValueGenerator;
import io.convoforge.family.tooluse.model.Conversation;
import io.convoforge.family.tooluse.model.Plan;
import io.convoforge.family.tooluse.model.Turn;
import java.util.List;
import java.util.Random;

/**
 * The tool-use family's offline answerers: deterministic, network-free, no API key. Every method
 * reseeds from (run seed, element id, stage), so its answer depends on nothing else.
 */
public final class OfflineGenerator implements Generator {
  private final ToolUseContext ctx;
  private final ValueGenerator values = new ValueGenerator();
  private final OfflinePlanner planner;
  private final OfflineArguments arguments;
  private final OfflineUtterances utterances;

  public OfflineGenerator(ToolUseContext ctx) {
    this.ctx = ctx;
    this.planner = new OfflinePlanner(ctx);
    this.arguments = new OfflineArguments(ctx, values);
    this.utterances = new OfflineUtterances(ctx);
  }

  private Random reseed(Conversation c, String stage) {
    values.reseed(Seeds.of(ctx.seed(), c.id(), stage));
    return values.random();
  }

  @Override
  public Plan plan(Conversation c) throws RejectException {
    return planner.plan(c, reseed(c, "plan"));
  }

  @Override
  public Conversation arguments(Conversation c) throws RejectException {
    reseed(c, "args");
    return arguments.bind(c);
  }

  @Override
  public List<Turn> utterances(Conversation c) throws RejectException {
    return utterances.write(c, reseed(c, "utterances"));
  }
}
