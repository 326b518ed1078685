/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A string component must match this regular expression in full. {@link #hint()} is shown to the user. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Pattern {
    String value();

    String hint() default "";
}
