package io.pgdbm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/** Where the numbers were measured: they mean little without it. */
record Machine(int cores, String cpu, long memoryGiB, String jdk, String os, String postgres, String server,
        String date) {

    static Machine describe(BenchServer server) {
        return describe(server.serverVersion(), server.isEmbedded() ? "embedded (zonky), same machine" : "external");
    }

    /**
     * @param postgres the server's version
     * @param server where it runs
     */
    static Machine describe(String postgres, String server) {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryGiB(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                postgres, server, LocalDate.now().toString());
    }

    String describe() {
        return String.format(Locale.ROOT, "Machine: %d cores (%s), %d GiB; %s; %s; PostgreSQL %s, %s; %s", cores, cpu,
                memoryGiB, jdk, os, postgres, server, date);
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    private static long readMemoryGiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / (1024 * 1024))
                    .findFirst().orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
