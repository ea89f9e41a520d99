package io.convoforge.backend.offline;

import io.convoforge.backend.Generator;
import io.convoforge.backend.GeneratorFactory;
import io.convoforge.gen.ValueGenerator;
import io.convoforge.model.Conversation;
import io.convoforge.model.Judgement;
import io.convoforge.model.Plan;
import io.convoforge.model.Turn;
import io.convoforge.stages.RejectException;
import io.convoforge.stages.StageContext;
import io.convoforge.util.Seeds;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The offline backend: deterministic, network-free, no API key. Every method reseeds from (run
 * seed, element id, stage), so its answer depends on nothing else.
 */
public final class OfflineBackend implements GeneratorFactory {
  @Override
  public Generator open(StageContext context, String stage) {
    return new OfflineGenerator(context);
  }

  @Override
  public String name() {
    return "offline";
  }

  static final class OfflineGenerator implements Generator {
    private final StageContext ctx;
    private final ValueGenerator values = new ValueGenerator();
    private final OfflinePlanner planner;
    private final OfflineArguments arguments;
    private final OfflineUtterances utterances;

    OfflineGenerator(StageContext ctx) {
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

    @Override
    public Map<String, Judgement.Criterion> judge(Conversation c) {
      return Map.of();
    }
  }
}
