package org.nbregistry.support.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.nbregistry.support.json.InputRuleException;

import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Turns every way a request can be wrong into a problem document: malformed JSON and wrong types (400),
 * fields the contract does not know (400: a site must never send identifying data by accident), broken field
 * rules (422), and the framework's own HTTP errors. User mappers take precedence over Quarkus' built-in ones.
 * Nothing a client sends can end as a 500: whatever Jackson cannot read is a 400.
 */
public class ProblemMappers {

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);
    private static final String TRAILING = "Trailing token";

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = jsonPath(e);
        return respond(Problem.of("unknown-field", "Request has a field the contract does not define", 400,
                "Field '" + field + "' is not part of this record; remove it (records never carry identifying data).",
                List.of(fieldError(e))), uri);
    }

    @ServerExceptionMapper
    public Response invalidValue(InvalidFormatException e, UriInfo uri) {
        return respond(Problem.of("invalid-value", "Request has a value of the wrong form", 400,
                "Field '" + jsonPath(e) + "' has value '" + e.getValue() + "'; expected " + expected(e) + ".",
                List.of(fieldError(e))), uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        if (isTrailing(e)) {
            return respond(Problem.of("trailing-content", "Request body has content after the JSON document", 400,
                    "The body must be exactly one JSON document; remove what follows it.", List.of(fieldError(e))), uri);
        }
        if (e instanceof InputRuleException rule) {
            return respond(Problem.of("invalid-value", "Request has a value of the wrong form", 400,
                    "Field '" + jsonPath(e) + "' " + rule.sentence() + ".", List.of(fieldError(e))), uri);
        }
        String target = e.getTargetType() == null ? "the expected type" : e.getTargetType().getSimpleName();
        return respond(Problem.of("invalid-value", "Request has a value of the wrong type", 400,
                "Field '" + jsonPath(e) + "' cannot be read as " + target + ".", List.of(fieldError(e))), uri);
    }

    /** What no other mapper names, e.g. a value Jackson cannot bind at all: still the client's input, so 400. */
    @ServerExceptionMapper
    public Response unreadable(JsonMappingException e, UriInfo uri) {
        // Jackson wraps what the parser found inside a nested record (a key given twice, say) into a mapping error.
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse, uri);
        }
        return respond(Problem.of("invalid-value", "Request body cannot be read as this record", 400,
                "Field '" + jsonPath(e) + "' cannot be read.", List.of(new Problem.FieldError(jsonPath(e), "format", "cannot be read"))), uri);
    }

    /** Input past the parser's own limits (nesting depth, number or string length) and any other read failure. */
    @ServerExceptionMapper
    public Response unparseable(JsonProcessingException e, UriInfo uri) {
        return respond(Problem.of("malformed-json", "Request body is not valid JSON", 400, e.getOriginalMessage() + ".", null), uri);
    }

    /**
     * The field error of a body Jackson could not read into a record: an unknown field, a value outside its code
     * list or of the wrong type. Public for endpoints that read records themselves (e.g. the entries of a batch).
     */
    public static Problem.FieldError fieldError(JsonMappingException e) {
        String field = jsonPath(e);
        if (e instanceof UnrecognizedPropertyException) {
            return new Problem.FieldError(field, "unknown-field", "not a field of this record");
        }
        if (e instanceof InvalidFormatException invalid) {
            return new Problem.FieldError(field, "format", "expected " + expected(invalid));
        }
        if (e instanceof InputRuleException rule) {
            return new Problem.FieldError(field, rule.rule(), rule.sentence());
        }
        if (isTrailing(e)) {
            return new Problem.FieldError(field, "trailing-content", "nothing may follow the JSON document");
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return new Problem.FieldError(field, "type", "expected " + mismatched.getTargetType().getSimpleName());
        }
        return new Problem.FieldError(field, "format", e.getOriginalMessage());
    }

    private static String expected(InvalidFormatException e) {
        return e.getTargetType().isEnum()
                ? "one of " + List.of(e.getTargetType().getEnumConstants()).stream().map(Object::toString).collect(Collectors.joining(", "))
                : "a valid " + e.getTargetType().getSimpleName();
    }

    private static boolean isTrailing(JsonMappingException e) {
        return e instanceof MismatchedInputException && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith(TRAILING);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage() == null ? "" : e.getOriginalMessage());
        if (duplicate.find()) {
            String field = duplicatePath(e.getProcessor() == null ? null : e.getProcessor().getParsingContext(), duplicate.group(1));
            return respond(Problem.of("duplicate-key", "Request has a key twice", 400,
                    "Field '" + field + "' is given more than once; give each field once.",
                    List.of(new Problem.FieldError(field, "duplicate-key", "is given more than once"))), uri);
        }
        return respond(Problem.of("malformed-json", "Request body is not valid JSON", 400,
                e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ".",
                null), uri);
    }

    @ServerExceptionMapper
    public Response brokenRules(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(ProblemMappers::fieldError)
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::rule))
                .toList();
        String fields = errors.stream().map(Problem.FieldError::field).distinct().collect(Collectors.joining(", "));
        return respond(Problem.of("validation", "Record breaks the registry's field rules", 422,
                errors.size() + " rule(s) broken: " + fields + ".", errors), uri);
    }

    @ServerExceptionMapper
    public Response httpError(WebApplicationException e, UriInfo uri) {
        // The REST layer reports a body it could not read as a bare 400; say what was wrong with it.
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse, uri);
        }
        if (e.getCause() instanceof MismatchedInputException mismatched) {
            return mismatchedInput(mismatched, uri);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return unreadable(mapping, uri);
        }
        if (e.getCause() instanceof JsonProcessingException processing) {
            return unparseable(processing, uri);
        }
        int status = e.getResponse().getStatus();
        if (e.getResponse().hasEntity()) {
            return e.getResponse();
        }
        // Keep the framework's headers (Allow of a 405, for one); only the body becomes a problem document.
        Problem problem = Problem.ofStatus(status, e.getMessage());
        return Response.fromResponse(e.getResponse()).type(Problem.MEDIA_TYPE).entity(uri == null ? problem : problem.at(uri.getPath())).build();
    }

    public static Response respond(Problem problem, UriInfo uri) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                .entity(uri == null ? problem : problem.at(uri.getPath())).build();
    }

    /** The field error of one broken rule; public for endpoints that validate records themselves. */
    public static Problem.FieldError fieldError(ConstraintViolation<?> violation) {
        return new Problem.FieldError(fieldPath(violation.getPropertyPath()), ruleOf(violation), violation.getMessage());
    }

    /**
     * A cross-field check names its rule itself (as the violation's dynamic payload, see {@link RuleViolations});
     * a single-field constraint is named after its annotation.
     */
    static String ruleOf(ConstraintViolation<?> violation) {
        String named = RuleViolations.ruleOf(violation);
        if (named != null) {
            return named;
        }
        return ruleName(violation.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName());
    }

    /** Drops the method and parameter nodes of a parameter-validation path: `submit.record.episodeDate` → `episodeDate`. */
    static String fieldPath(Path path) {
        List<Path.Node> nodes = StreamSupport.stream(path.spliterator(), false).toList();
        List<Path.Node> fields = nodes.stream()
                .dropWhile(n -> n.getKind() == jakarta.validation.ElementKind.METHOD || n.getKind() == jakarta.validation.ElementKind.PARAMETER)
                .toList();
        if (fields.isEmpty()) {
            return nodes.isEmpty() ? "" : nodes.get(nodes.size() - 1).getName();
        }
        StringBuilder out = new StringBuilder();
        for (Path.Node node : fields) {
            if (node.getIndex() != null && out.length() > 0) {
                out.append('[').append(node.getIndex()).append(']');
            }
            // A list element (List<@Pattern String>) is named by its index alone: agents[0], not agents[0].<list element>.
            if (node.getName() != null && node.getKind() != jakarta.validation.ElementKind.CONTAINER_ELEMENT) {
                out.append(out.length() > 0 ? "." : "").append(node.getName());
            }
        }
        return out.toString();
    }

    static String ruleName(String annotation) {
        return switch (annotation) {
            case "NotNull", "NotBlank", "NotEmpty" -> "required";
            case "PastOrPresent", "Past" -> "not-in-future";
            case "Pattern" -> "pattern";
            case "Size" -> "size";
            case "Min", "Max", "DecimalMin", "DecimalMax", "Positive", "PositiveOrZero" -> "range";
            default -> annotation.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
        };
    }

    /** The dotted path of a key found twice: the path of the object it is in, then the key. */
    static String duplicatePath(JsonStreamContext object, String key) {
        StringBuilder out = new StringBuilder();
        for (JsonStreamContext child = object; child != null && child.getParent() != null; child = child.getParent()) {
            JsonStreamContext parent = child.getParent();
            if (parent.inObject() && parent.getCurrentName() != null) {
                out.insert(0, (out.length() > 0 && out.charAt(0) != '[' ? "." : "") + parent.getCurrentName());
            } else if (parent.inArray()) {
                out.insert(0, "[" + parent.getCurrentIndex() + "]");
            }
        }
        return out.length() == 0 ? key : out + "." + key;
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.length() > 0 ? "." : "").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? "(body)" : out.toString();
    }
}
