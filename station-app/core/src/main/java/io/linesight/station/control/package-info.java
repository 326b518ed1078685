/* SPDX-License-Identifier: Apache-2.0 */
/** Nullness: nothing is null unless marked {@code @Nullable}; NullAway checks it at compile time. */
@NullMarked
package io.linesight.station.control;

import org.jspecify.annotations.NullMarked;
