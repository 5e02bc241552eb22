package io.socketfleet.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Values for some of the {@link NodeSetting}s, as text, the way a node receives them (a flag's
 * argument, an environment variable); every value is checked against its setting. Two nodes run
 * the same settings exactly when their records are equal. A setting without a value is left to
 * the node's default.
 */
public record NodeSettings(Map<NodeSetting, String> values) {

    public NodeSettings {
        EnumMap<NodeSetting, String> copy = new EnumMap<>(NodeSetting.class);
        values.forEach((setting, text) -> {
            String problem = setting.problem(text);
            if (problem != null) {
                throw new IllegalArgumentException(setting.envName() + " " + problem);
            }
            copy.put(setting, text);
        });
        values = Collections.unmodifiableMap(copy);
    }

    public static NodeSettings none() {
        return new NodeSettings(Map.of());
    }

    /** The same values and {@code setting = text}. */
    public NodeSettings with(NodeSetting setting, String text) {
        EnumMap<NodeSetting, String> next = new EnumMap<>(NodeSetting.class);
        next.putAll(values);
        next.put(setting, text);
        return new NodeSettings(next);
    }

    /** The value given, if any. */
    public Optional<String> given(NodeSetting setting) {
        return Optional.ofNullable(values.get(setting));
    }

    /** The value given, else the setting's default (null when it has none). */
    public String text(NodeSetting setting) {
        return given(setting).orElse(setting.defaultValue());
    }

    /** A {@link NodeSetting.Kind#NUMBER}'s value, given or default. */
    public long number(NodeSetting setting) {
        return Long.parseLong(text(setting).strip());
    }

    /** A {@link NodeSetting.Kind#NUMBER} that fits an int, as its bounds promise. */
    public int intNumber(NodeSetting setting) {
        return Math.toIntExact(number(setting));
    }

    /** The flags that carry these values: {@code --port=3000 --ping-interval-ms=25000 …}. */
    public List<String> flags() {
        List<String> flags = new ArrayList<>();
        values.forEach((setting, text) -> flags.add(setting.flag() + "=" + text));
        return flags;
    }

    /** The environment variables that carry these values: {@code PORT=3000 …}, in table order. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        values.forEach((setting, text) -> env.put(setting.envName(), text));
        return env;
    }

    /** The values as flags, secrets hidden: fit for a log line. */
    @Override
    public String toString() {
        return values.entrySet().stream()
                .map(e -> e.getKey().flag() + "=" + shown(e.getKey(), e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String shown(NodeSetting setting, String text) {
        return switch (setting.kind()) {
            case SECRET -> "(hidden)";
            // A Redis URL may carry a password: redis://:pw@host
            case REDIS_URL -> text.replaceFirst("//[^@/]*@", "//(hidden)@");
            default -> text;
        };
    }
}
