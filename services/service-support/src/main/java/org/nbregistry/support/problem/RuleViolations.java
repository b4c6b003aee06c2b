package org.nbregistry.support.problem;

import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.ConstraintViolation;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;
import org.hibernate.validator.engine.HibernateConstraintViolation;

import java.util.List;

/**
 * Reports the broken rules of a cross-field check as ordinary constraint violations, each on its own field and
 * carrying its own rule name, so that the problem document lists them exactly like single-field rules.
 */
public final class RuleViolations {

    private RuleViolations() {
    }

    /** One broken rule: the field (relative to the checked object), a stable rule name and a sentence. */
    public record Broken(String field, String rule, String message) {
    }

    /** Adds one violation per broken rule; returns whether the object is valid. */
    public static boolean report(List<Broken> broken, ConstraintValidatorContext context) {
        if (broken.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        HibernateConstraintValidatorContext hibernate = context.unwrap(HibernateConstraintValidatorContext.class);
        for (Broken rule : broken) {
            // The payload is captured per violation when it is added, so each one keeps its own rule name.
            hibernate.withDynamicPayload(rule.rule())
                    .buildConstraintViolationWithTemplate(escape(rule.message()))
                    .addPropertyNode(rule.field())
                    .addConstraintViolation();
        }
        return false;
    }

    static String ruleOf(ConstraintViolation<?> violation) {
        try {
            HibernateConstraintViolation<?> hibernate = violation.unwrap(HibernateConstraintViolation.class);
            return hibernate.getDynamicPayload(String.class);
        } catch (RuntimeException notHibernate) {
            return null;
        }
    }

    /** Messages are message templates; a value quoted in one must not be interpolated. */
    private static String escape(String message) {
        return message.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
