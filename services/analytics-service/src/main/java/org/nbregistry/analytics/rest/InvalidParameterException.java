package org.nbregistry.analytics.rest;

/** A query parameter an analyst got wrong; answered as a problem document naming the parameter and the rule. */
public class InvalidParameterException extends RuntimeException {

    private final String parameter;
    private final String rule;

    public InvalidParameterException(String parameter, String rule, String message) {
        super(message);
        this.parameter = parameter;
        this.rule = rule;
    }

    public String parameter() {
        return parameter;
    }

    public String rule() {
        return rule;
    }
}
