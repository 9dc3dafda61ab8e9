package org.peftarena.arena.exec;

import java.io.IOException;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.spec.RunSpec;

/**
 * Runs one share of the plan in this process as run units (plan index {@code i} belongs to shard
 * {@code i mod count}), for job arrays and indexed jobs that start one process per shard. It does
 * not coordinate: many shards run at once, each writing only its runs' folders; {@code arena
 * collect} ingests their manifests into the registry afterwards.
 */
public final class ShardExecutor implements ArenaExecutor {
    private final int shard;
    private final int count;

    /**
     * @param shard which share, from 0
     * @param count how many shares
     */
    public ShardExecutor(int shard, int count) {
        if (count < 1 || shard < 0 || shard >= count) {
            throw new IllegalArgumentException("shard must be i/N with 0 <= i < N, got " + shard + "/" + count);
        }
        this.shard = shard;
        this.count = count;
    }

    /** Parses {@code i/N}. */
    public static ShardExecutor parse(String text) {
        String[] f = text.strip().split("/", 0);
        try {
            if (f.length == 2) {
                return new ShardExecutor(Integer.parseInt(f[0].strip()), Integer.parseInt(f[1].strip()));
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("shard must be i/N with 0 <= i < N (e.g. 0/4), got '" + text + "'");
    }

    @Override
    public boolean coordinates() {
        return false;
    }

    @Override
    public ExecutionSummary execute(ExecutionContext ctx) throws IOException {
        RunUnit unit = new RunUnit(ctx.workdir(), ctx.plan());
        ArenaListener listener = ctx.listener();
        int executed = 0;
        int skipped = 0;
        int failed = 0;
        for (int i = shard; i < ctx.plan().runs().size(); i += count) {
            RunSpec spec = ctx.plan().runs().get(i);
            if (RunManifest.read(ctx.runDir(spec.id()), spec.id()).filter(RunManifest::finished).isPresent()) {
                skipped++;
                listener.runSkipped(i, spec);
                continue;
            }
            int index = i;
            listener.runStarted(i, spec);
            RunManifest m = unit.run(spec, listener.forRun(index, spec));
            if (m.finished()) {
                executed++;
                listener.runFinished(i, spec, m.result());
            } else {
                failed++;
                listener.runFailed(i, spec, new IOException(m.error()));
            }
        }
        return new ExecutionSummary(executed, skipped, failed, 0);
    }
}
