package io.socketfleet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Figures from every run, reduced to medians, printed as a table and written as JSON. */
final class Results {

    /** One measured value of one server (or configuration) in one scenario. */
    record Figure(String scenario, String metric, String unit, String subject, double value, boolean higherIsBetter) {
    }

    private final List<Figure> figures = new ArrayList<>();

    synchronized void add(String scenario, String metric, String unit, String subject, double value, boolean higherIsBetter) {
        figures.add(new Figure(scenario, metric, unit, subject, value, higherIsBetter));
    }

    /** Median of the runs of each (scenario, metric, subject). */
    synchronized List<Figure> medians() {
        Map<List<String>, List<Figure>> grouped = figures.stream().collect(Collectors.groupingBy(
                f -> List.of(f.scenario(), f.metric(), f.subject()), LinkedHashMap::new, Collectors.toList()));
        List<Figure> medians = new ArrayList<>();
        grouped.forEach((key, runs) -> {
            double[] values = runs.stream().mapToDouble(Figure::value).sorted().toArray();
            double median = values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
            Figure first = runs.get(0);
            medians.add(new Figure(first.scenario(), first.metric(), first.unit(), first.subject(), median, first.higherIsBetter()));
        });
        return medians;
    }

    /** Prints one row per (scenario, metric): socket-node, each peer, and socket-node's ratio to each. */
    void print(PrintStream out) {
        Map<List<String>, List<Figure>> rows = medians().stream().collect(Collectors.groupingBy(
                f -> List.of(f.scenario(), f.metric(), f.unit()), LinkedHashMap::new, Collectors.toList()));
        out.printf("%-22s %-30s %s%n", "scenario", "metric", "figures (median of runs)");
        rows.forEach((key, row) -> {
            Figure ours = row.stream().filter(f -> f.subject().equals("socket-node")).findFirst().orElse(null);
            String cells = row.stream().map(f -> {
                String cell = f.subject() + " " + format(f.value()) + " " + f.unit();
                if (ours != null && f != ours && f.value() != 0) {
                    cell += " (socket-node x" + String.format(Locale.ROOT, "%.2f", ours.value() / f.value()) + ")";
                }
                return cell;
            }).collect(Collectors.joining(" | "));
            out.printf("%-22s %-30s %s%n", key.get(0), key.get(1), cells);
        });
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
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
