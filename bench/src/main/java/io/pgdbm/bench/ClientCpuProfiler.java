package io.pgdbm.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time the benchmark threads spend per operation ({@code client.cpu.norm}, µs/op), and the machine's one-minute
 * load average at the end of each iteration ({@code machine.load1}).
 *
 * <p>Like allocation per operation, the CPU a call costs the calling thread barely depends on how busy the machine
 * is, while throughput does: it is the cost the library adds on top of the round trip, measured where wall-clock
 * numbers drown in noise. Only JMH's worker threads count (the code under test and the driver it calls), not the JIT
 * compiler, the garbage collector or the pool's housekeeping. {@code -prof io.pgdbm.bench.ClientCpuProfiler} adds it
 * to any JMH run.
 */
public final class ClientCpuProfiler implements InternalProfiler {

    private static final String WORKER = "jmh-worker";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Map<Long, Long> cpuBefore = Map.of();

    @Override
    public String getDescription() {
        return "CPU time of the benchmark threads per operation, and the machine's load average";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = workerCpuNanos();
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's signature
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpu = 0;
        for (Map.Entry<Long, Long> worker : workerCpuNanos().entrySet()) {
            cpu += worker.getValue() - cpuBefore.getOrDefault(worker.getKey(), 0L);
        }
        long operations = result.getMetadata().getMeasuredOps();
        double perOperation = operations == 0 ? Double.NaN : cpu / 1000.0 / operations;
        return List.of(new ScalarResult("client.cpu.norm", perOperation, "us/op", AggregationPolicy.AVG),
                new ScalarResult("machine.load1", loadAverage(), "threads", AggregationPolicy.AVG));
    }

    /** Thread id to CPU time, for JMH's worker threads. */
    private Map<Long, Long> workerCpuNanos() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(WORKER)) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
