// The JVM's side of futureslab-bench: the same no-op workloads on
// java.util.concurrent's fixed thread pool, compiled and run by the benchmark
// in the same invocation (JavaBaseline.swift). Prints one JSON object.
//
// argv: tasks, round trips, workers, repeats.
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

public final class JavaBaseline {
    private static final Runnable NO_OP = () -> { };

    public static void main(String[] args) throws Exception {
        int tasks = Integer.parseInt(args[0]);
        int roundTrips = Integer.parseInt(args[1]);
        int workers = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);

        // One run first, not counted: the JIT compiles the pool's paths, as
        // it has in any JVM that has served for a while.
        submitWait(tasks, workers);
        double[] rates = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            rates[i] = submitWait(tasks, workers);
        }
        Arrays.sort(rates);

        long[] trips = roundTrips(roundTrips, workers);
        Arrays.sort(trips);

        System.out.println("{\"tp_submit_wait_per_s\": " + rates[repeats / 2]
            + ", \"rtt_median_us\": " + trips[trips.length / 2] / 1000.0
            + ", \"rtt_p99_us\": " + trips[Math.min(trips.length - 1, trips.length * 99 / 100)] / 1000.0
            + ", \"version\": " + Runtime.version().feature() + "}");
    }

    /** `tasks` no-op submits to a fresh fixed pool, then a wait for all: tasks a second. */
    private static double submitWait(int tasks, int workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> futures = new ArrayList<>(tasks);
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            futures.add(pool.submit(NO_OP));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return tasks / (elapsed / 1e9);
    }

    /** Submit one no-op, then `get()`, `count` times after 1,000 warm-up trips: nanoseconds each. */
    private static long[] roundTrips(int count, int workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        for (int i = 0; i < 1000; i++) {
            pool.submit(NO_OP).get();
        }
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            pool.submit(NO_OP).get();
            samples[i] = System.nanoTime() - start;
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return samples;
    }
}
