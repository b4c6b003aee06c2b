package org.nbregistry.local.platform;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The last stage of deploy/container/Dockerfile: what the running image is made of and how it starts. */
record RuntimeStage(String from, String user, String workingDirectory, List<String> exposed,
                    Map<String, String> environment, List<String> entrypoint) {

    static RuntimeStage of(Path dockerfile) throws IOException {
        String from = null;
        String user = null;
        String workdir = null;
        List<String> exposed = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        for (String line : Files.readAllLines(dockerfile)) {
            String[] instruction = line.strip().split("\\s+", 2);
            if (instruction.length < 2 || instruction[0].startsWith("#")) {
                continue;
            }
            String argument = instruction[1].strip();
            switch (instruction[0]) {
                case "FROM" -> { // a new stage starts over
                    from = argument.split("\\s+")[0];
                    user = null;
                    workdir = null;
                    exposed.clear();
                    environment.clear();
                    entrypoint = List.of();
                }
                case "USER" -> user = argument;
                case "WORKDIR" -> workdir = argument;
                case "EXPOSE" -> exposed.addAll(List.of(argument.split("\\s+")));
                case "ENV" -> {
                    int eq = argument.indexOf('=');
                    environment.put(argument.substring(0, eq), argument.substring(eq + 1).replaceAll("^\"|\"$", ""));
                }
                case "ENTRYPOINT" -> entrypoint = new ObjectMapper().readValue(argument, new TypeReference<>() { });
                default -> { }
            }
        }
        return new RuntimeStage(from, user, workdir, List.copyOf(exposed), Map.copyOf(environment), entrypoint);
    }
}
