package org.nbregistry.local.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code token --site CODE [--role site|analyst|operator] [--subject NAME] [--days N] [--data DIR]}: a development token
 * signed with the data folder's key. A site token needs the site code; analyst and operator tokens name no site.
 */
record TokenOptions(Path dataDir, String site, String role, String subject, Duration lifetime) {

    /** The site code pattern intake accepts in the `site` claim. */
    static final String SITE_CODE = "^[A-Z0-9][A-Z0-9_-]{0,31}$";
    static final int DEFAULT_DAYS = 30;
    private static final int MAX_DAYS = 365;

    static TokenOptions parse(String[] args, Path root) {
        if (args.length == 0 || !args[0].equals("token")) {
            throw new IllegalArgumentException("not a token command");
        }
        Path dataDir = root.resolve(".platform-data");
        String site = null;
        String role = DevTokens.SITE_ROLE;
        String subject = null;
        int days = DEFAULT_DAYS;
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            switch (flag) {
                case "--site" -> site = value(flag, rest);
                case "--role" -> role = value(flag, rest);
                case "--subject" -> subject = value(flag, rest);
                case "--days" -> days = days(value(flag, rest));
                case "--data" -> dataDir = Path.of(value(flag, rest)).toAbsolutePath().normalize();
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
            }
        }
        if (!List.of(DevTokens.SITE_ROLE, DevTokens.ANALYST_ROLE, DevTokens.OPERATOR_ROLE).contains(role)) {
            throw new IllegalArgumentException("--role: '" + role + "' is not a role; use site, analyst or operator");
        }
        if (role.equals(DevTokens.SITE_ROLE) && site == null) {
            throw new IllegalArgumentException("a site token needs --site CODE, e.g. --site " + Catalog.DEMO_SITES.get(0));
        }
        if (site != null && !site.matches(SITE_CODE)) {
            throw new IllegalArgumentException("--site: '" + site + "' is not a site code (upper-case letters, digits, '-' or '_')");
        }
        if (subject == null) {
            subject = role.equals(DevTokens.SITE_ROLE) ? "data-manager@" + site : role;
        }
        if (subject.isBlank()) {
            throw new IllegalArgumentException("--subject must not be blank");
        }
        return new TokenOptions(dataDir, site, role, subject, Duration.ofDays(days));
    }

    private static int days(String value) {
        try {
            int days = Integer.parseInt(value.trim());
            if (days < 1 || days > MAX_DAYS) {
                throw new NumberFormatException();
            }
            return days;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--days: not a number of days from 1 to " + MAX_DAYS + ": " + value);
        }
    }

    private static String value(String flag, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return rest.remove(0);
    }
}
