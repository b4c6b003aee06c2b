package org.nbregistry.support.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A value Jackson could read but the registry refuses while reading: a date not written YYYY-MM-DD or outside the
 * clinical range, a batch with too many records. Jackson adds the field's path as the exception travels up, so the
 * problem document names the field, the stable rule and a sentence.
 */
public class InputRuleException extends MismatchedInputException {

    private final String rule;
    private final String sentence;

    public InputRuleException(JsonParser parser, Class<?> targetType, String rule, String sentence) {
        super(parser, sentence, targetType);
        this.rule = rule;
        this.sentence = sentence;
    }

    public String rule() {
        return rule;
    }

    public String sentence() {
        return sentence;
    }
}
