package io.socketfleet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Figures from every run, reduced to medians, printed as a table (plain and as the README's
 * markdown) and written as JSON.
 */
final class Results {

    /** No load generator: a figure the runner measured by other means (nginx, the operator). */
    static final String NO_GENERATOR = "-";

    /**
     * One measured value of one server (or configuration) in one scenario, under one load generator.
     */
    record Figure(String scenario, String generator, String metric, String unit, String subject, double value,
                  boolean higherIsBetter) {
    }

    private final List<Figure> figures = new ArrayList<>();

    synchronized void add(String scenario, String generator, String metric, String unit, String subject, double value,
                          boolean higherIsBetter) {
        figures.add(new Figure(scenario, generator, metric, unit, subject, value, higherIsBetter));
    }

    void add(String scenario, String metric, String unit, String subject, double value, boolean higherIsBetter) {
        add(scenario, NO_GENERATOR, metric, unit, subject, value, higherIsBetter);
    }

    /** Median of the runs of each (scenario, generator, metric, subject). */
    synchronized List<Figure> medians() {
        Map<List<String>, List<Figure>> grouped = figures.stream().collect(Collectors.groupingBy(
                f -> List.of(f.scenario(), f.generator(), f.metric(), f.subject()), LinkedHashMap::new, Collectors.toList()));
        List<Figure> medians = new ArrayList<>();
        grouped.forEach((key, runs) -> {
            double[] values = runs.stream().mapToDouble(Figure::value).sorted().toArray();
            double median = values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
            Figure first = runs.get(0);
            medians.add(new Figure(first.scenario(), first.generator(), first.metric(), first.unit(), first.subject(), median,
                    first.higherIsBetter()));
        });
        return medians;
    }

    private Map<List<String>, List<Figure>> rows() {
        return medians().stream().collect(Collectors.groupingBy(
                f -> List.of(f.scenario(), f.generator(), f.metric(), f.unit()), LinkedHashMap::new, Collectors.toList()));
    }

    /** Prints one row per (scenario, generator, metric): each subject, and socket-node's ratio to each. */
    void print(PrintStream out) {
        out.printf("%-22s %-22s %-32s %s%n", "scenario", "generator", "metric", "figures (median of runs)");
        rows().forEach((key, row) -> {
            Figure ours = row.stream().filter(f -> f.subject().equals(ServerProcess.Kind.SOCKET_NODE.label)).findFirst().orElse(null);
            String cells = row.stream().map(f -> {
                String cell = f.subject() + " " + format(f.value()) + " " + f.unit();
                if (ours != null && f != ours && f.value() != 0) {
                    cell += " (socket-node x" + String.format(Locale.ROOT, "%.2f", ours.value() / f.value()) + ")";
                }
                return cell;
            }).collect(Collectors.joining(" | "));
            out.printf("%-22s %-22s %-32s %s%n", key.get(0), key.get(1), key.get(2), cells);
        });
    }

    /**
     * The server comparison as the README's markdown table: a column per server, socket-node's
     * ratio to Node socket.io and to the limit peer.
     */
    String markdown() {
        List<String> servers = Arrays.stream(ServerProcess.Kind.values()).map(k -> k.label).toList();
        StringBuilder md = new StringBuilder("| scenario | load generator | metric | ")
                .append(String.join(" | ", servers)).append(" | socket-node ÷ Node | socket-node ÷ limit |\n")
                .append("| --- | --- | --- |").append(" ---: |".repeat(servers.size() + 2)).append('\n');
        rows().forEach((key, row) -> {
            if (key.get(1).equals(NO_GENERATOR) || row.stream().noneMatch(f -> servers.contains(f.subject()))) {
                return;
            }
            md.append("| ").append(key.get(0)).append(" | ").append(key.get(1)).append(" | ").append(key.get(2)).append(" |");
            for (String server : servers) {
                Figure f = find(row, server);
                md.append(' ').append(f == null ? "n/a" : format(f.value()) + (key.get(3).isEmpty() ? "" : " " + key.get(3))).append(" |");
            }
            Figure ours = find(row, ServerProcess.Kind.SOCKET_NODE.label);
            md.append(' ').append(ratio(ours, find(row, ServerProcess.Kind.NODE_SOCKET_IO.label))).append(" |")
                    .append(' ').append(ratio(ours, find(row, ServerProcess.Kind.LIMIT.label))).append(" |\n");
        });
        return md.toString();
    }

    private static Figure find(List<Figure> row, String subject) {
        return row.stream().filter(f -> f.subject().equals(subject)).findFirst().orElse(null);
    }

    private static String ratio(Figure ours, Figure theirs) {
        if (ours == null || theirs == null || theirs.value() == 0 || Double.isNaN(ours.value()) || Double.isNaN(theirs.value())) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.2f", ours.value() / theirs.value());
    }

    void write(Path file, Map<String, Object> machine) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine);
        json.put("figures", medians());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    synchronized boolean isEmpty() {
        return figures.isEmpty();
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
