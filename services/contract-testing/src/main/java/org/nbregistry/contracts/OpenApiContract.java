package org.nbregistry.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The OpenAPI document a service serves must be the one checked in under api-specs/openapi/: same paths,
 * operations, parameters, responses and schemas. A mismatch lists every differing location and leaves the
 * served document in target/ so a reviewer can diff it against the contract.
 */
public final class OpenApiContract {

    private static final YAMLMapper YAML = new YAMLMapper();

    private OpenApiContract() {
    }

    public static void assertServedEqualsCheckedIn(String servedYaml, String contractFileName) {
        Path contractFile = RegistryRoot.apiSpecs().resolve("openapi").resolve(contractFileName);
        JsonNode served = parse(servedYaml);
        JsonNode contract;
        try {
            contract = YAML.readTree(contractFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("contract " + contractFile + " cannot be read", e);
        }
        List<String> differences = new ArrayList<>();
        compare("", contract, served, differences);
        if (!differences.isEmpty()) {
            Path actual = Path.of("target", "served-" + contractFileName);
            try {
                Files.createDirectories(actual.getParent());
                Files.writeString(actual, servedYaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new AssertionError("served OpenAPI differs from api-specs/openapi/" + contractFileName + " at "
                    + differences.size() + " places (served document written to " + actual.toAbsolutePath() + "):\n  "
                    + String.join("\n  ", differences.subList(0, Math.min(40, differences.size()))));
        }
    }

    private static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, List<String> differences) {
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                String child = path + "/" + name;
                if (!expected.has(name)) {
                    differences.add(child + ": served but not in the contract");
                } else if (!actual.has(name)) {
                    differences.add(child + ": in the contract but not served");
                } else {
                    compare(child, expected.get(name), actual.get(name), differences);
                }
            }
        } else if (expected.isArray() && actual.isArray() && isSetLike(path)) {
            TreeSet<String> left = texts(expected);
            TreeSet<String> right = texts(actual);
            if (!left.equals(right)) {
                differences.add(path + ": contract " + left + " but served " + right);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                compare(path + "/" + i, expected.get(i), actual.get(i), differences);
            }
        } else if (!equalValues(expected, actual)) {
            differences.add(path + ": contract " + expected + " but served " + actual);
        }
    }

    /** Order carries no meaning in `required`, `enum` and `tags` lists. */
    private static boolean isSetLike(String path) {
        return path.endsWith("/required") || path.endsWith("/enum") || path.endsWith("/tags");
    }

    private static TreeSet<String> texts(JsonNode array) {
        TreeSet<String> values = new TreeSet<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            values.add(it.next().toString());
        }
        return values;
    }

    private static boolean equalValues(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }
}
