package io.socketfleet.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A Dockerfile read into its stages: what a build without a Docker engine needs of it. */
record Dockerfile(List<Stage> stages) {

    /** One instruction, continuation lines joined: {@code COPY a b} is keyword COPY, arguments "a b". */
    record Instruction(String keyword, String arguments) {
        List<String> words() {
            return Arrays.asList(arguments.trim().split("\\s+"));
        }
    }

    /** A {@code FROM image [AS name]} and the instructions under it. */
    record Stage(String name, String image, List<Instruction> instructions) {

        /** The working directory the stage ends in. */
        String workdir() {
            Path workdir = Path.of("/");
            for (Instruction instruction : instructions) {
                if (instruction.keyword().equals("WORKDIR")) {
                    workdir = workdir.resolve(instruction.arguments().strip()).normalize();
                }
            }
            return workdir.toString();
        }

        List<Copy> copies() {
            return instructions.stream().filter(i -> i.keyword().equals("COPY")).map(Copy::of).toList();
        }
    }

    /** A {@code COPY [--from=stage] source… destination}. */
    record Copy(String fromStage, List<String> sources, String destination) {
        static Copy of(Instruction copy) {
            String from = null;
            List<String> words = new ArrayList<>(copy.words());
            while (words.get(0).startsWith("--")) {
                String flag = words.remove(0);
                if (flag.startsWith("--from=")) {
                    from = flag.substring("--from=".length());
                } else if (!flag.startsWith("--chown=") && !flag.startsWith("--chmod=")) {
                    throw new IllegalArgumentException("COPY " + flag + " is not understood by this reader");
                }
            }
            return new Copy(from, List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1));
        }
    }

    static Dockerfile read(Path path) throws IOException {
        return parse(Files.readString(path));
    }

    static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        StringBuilder pending = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            String whole = pending.append(trimmed).toString().strip();
            pending.setLength(0);
            String[] split = whole.split("\\s+", 2);
            Instruction instruction = new Instruction(split[0].toUpperCase(Locale.ROOT), split.length > 1 ? split[1] : "");
            if (instruction.keyword().equals("FROM")) {
                List<String> words = instruction.words();
                String name = words.size() == 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : String.valueOf(stages.size());
                current = new ArrayList<>();
                stages.add(new Stage(name, words.get(0), current));
            } else if (current == null) {
                throw new IllegalArgumentException(instruction.keyword() + " before the first FROM");
            } else {
                current.add(instruction);
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage named " + name));
    }

    /** The stage that becomes the image. */
    Stage last() {
        return stages.get(stages.size() - 1);
    }
}
