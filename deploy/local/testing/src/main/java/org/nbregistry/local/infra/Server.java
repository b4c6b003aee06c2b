package org.nbregistry.local.infra;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The three servers a service may need. */
public enum Server {
    KAFKA,
    POSTGRES,
    MONGODB;

    /** The lower-case name used in init args, log files and data folders. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Server of(String id) {
        for (Server server : values()) {
            if (server.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return server;
            }
        }
        throw new IllegalArgumentException("unknown server '" + id + "'; expected kafka, postgres or mongodb");
    }

    /** Parses {@code "kafka,postgres"}; blank means none. */
    public static Set<Server> parse(String commaSeparated) {
        Set<Server> servers = EnumSet.noneOf(Server.class);
        Arrays.stream(commaSeparated.split(","))
                .filter(s -> !s.isBlank())
                .map(Server::of)
                .forEach(servers::add);
        return servers;
    }

    static String ids(Set<Server> servers) {
        return servers.stream().map(Server::id).collect(Collectors.joining(","));
    }
}
