package org.nbregistry.local.platform;

import java.util.Locale;

/** A port the user may override: {@code --<key>-port N} or the environment variable {@code <KEY>_PORT} ('-' as '_'). */
record PortOption(String key, int defaultPort) {

    String flag() {
        return "--" + key + "-port";
    }

    String variable() {
        return key.toUpperCase(Locale.ROOT).replace('-', '_') + "_PORT";
    }
}
