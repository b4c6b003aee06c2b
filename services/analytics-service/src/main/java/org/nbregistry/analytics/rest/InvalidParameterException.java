package org.nbregistry.analytics.rest;

/** A query parameter an analyst got wrong; answered as a problem document naming the parameter and the rule. */
public class InvalidParameterException extends RuntimeException {

    private final String parameter;
    private final String rule;
    private final int status;

    public InvalidParameterException(String parameter, String rule, String message) {
        this(parameter, rule, message, 400);
    }

    public InvalidParameterException(String parameter, String rule, String message, int status) {
        super(message);
        this.parameter = parameter;
        this.rule = rule;
        this.status = status;
    }

    public String parameter() {
        return parameter;
    }

    public String rule() {
        return rule;
    }

    public int status() {
        return status;
    }
}
