/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value of a component when its key is absent, written as YAML ({@code "200"}, {@code "{}"}, {@code "[]"})
 * and bound like any other value, so defaults are validated too.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
    String value();
}
