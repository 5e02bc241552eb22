package io.socketfleet.node;

import io.socketfleet.contract.NodeSetting;
import io.socketfleet.contract.NodeSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.EnumMap;
import java.util.Map;

/**
 * socket-node's command line, one option per {@link NodeSetting}: the flag, the environment
 * variable it falls back to and the default, all from the table, all listed by {@code --help}.
 */
final class NodeCommandLine {

    private NodeCommandLine() {
    }

    static CommandSpec spec() {
        // --help and --version built here rather than by picocli's standard mixin, which reads them from
        // annotations through reflection and generated proxies: a tenth of a second or more of a cold start.
        CommandSpec spec = CommandSpec.create().name("socket-node").version("socket-node 0.1.0")
                .addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build())
                .addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        spec.usageMessage().sortOptions(false).autoWidth(true)
                .description("A socket.io-compatible server (Engine.IO v4 / Socket.IO v5) with the socketfleet demo app.",
                        "Every flag also reads from the environment variable shown.");
        for (NodeSetting setting : NodeSetting.values()) {
            String fallback = setting.defaultValue() == null ? "" : ":-" + setting.defaultValue();
            OptionSpec.Builder option = OptionSpec.builder(setting.flag())
                    .paramLabel(setting.name())
                    .defaultValue("${env:" + setting.envName() + fallback + "}")
                    .description(helpText(setting));
            if (setting.kind() == NodeSetting.Kind.BOOLEAN) {
                option.type(boolean.class).negatable(true).arity("0..1").fallbackValue("true");
            } else {
                option.type(String.class);
            }
            spec.addOption(option.build());
        }
        return spec;
    }

    /** What --help says of a setting: what it is, its environment variable and its default. */
    static String helpText(NodeSetting setting) {
        return setting.description() + " Env " + setting.envName() + ", default " + setting.defaultDescription() + ".";
    }

    /** The settings the command line and environment gave; a bad value is a usage error naming its flag. */
    static NodeSettings settings(ParseResult parsed) {
        Map<NodeSetting, String> values = new EnumMap<>(NodeSetting.class);
        for (NodeSetting setting : NodeSetting.values()) {
            Object value = parsed.commandSpec().findOption(setting.flag()).getValue();
            if (value == null) {
                continue;
            }
            String text = value.toString();
            String problem = setting.problem(text);
            if (problem != null) {
                throw new CommandLine.ParameterException(parsed.commandSpec().commandLine(),
                        setting.flag() + " (env " + setting.envName() + ") " + problem);
            }
            values.put(setting, text);
        }
        return new NodeSettings(values);
    }
}
