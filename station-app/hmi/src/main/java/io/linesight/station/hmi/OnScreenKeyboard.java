/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.jspecify.annotations.Nullable;

/**
 * A small on-screen keyboard for text and number fields on a touchscreen without a physical one: it types into the
 * field last tapped ({@link #attach}), and shows itself when a field is tapped; ✕ hides it. Keys are 52 px. FX thread
 * only.
 */
public final class OnScreenKeyboard {
    private static final String[] ROWS = {"1234567890", "qwertyuiop", "asdfghjkl-", "zxcvbnm._"};
    private final VBox root = new VBox();
    private @Nullable TextField target;

    public OnScreenKeyboard() {
        root.getStyleClass().add("osk");
        for (int r = 0; r < ROWS.length; r++) {
            HBox row = new HBox();
            row.getStyleClass().add("osk-row");
            for (char c : ROWS[r].toCharArray()) {
                row.getChildren().add(key(Character.toString(c), () -> type(Character.toString(c))));
            }
            if (r == ROWS.length - 1) {
                row.getChildren().add(key("⌫", this::backspace));
                row.getChildren().add(key("␣", () -> type(" ")));
                row.getChildren().add(key("✕", () -> visible(false)));
            }
            root.getChildren().add(row);
        }
        visible(false);
    }

    public void visible(boolean on) {
        root.setVisible(on);
        root.setManaged(on);
    }

    public boolean visible() {
        return root.isVisible();
    }

    private static Button key(String label, Runnable action) {
        Button b = new Button(label);
        b.getStyleClass().add("osk-key");
        b.setFocusTraversable(false); // a tap on a key must not take the focus from the field being typed into
        b.setOnAction(e -> action.run());
        return b;
    }

    /** Makes {@code field} the one typed into whenever it is tapped or focused. */
    public void attach(TextField field) {
        field.focusedProperty().addListener((obs, was, now) -> {
            if (now) {
                target = field;
            }
        });
        field.setOnMousePressed(e -> {
            target = field;
            visible(true);
        });
    }

    public void type(String text) {
        TextField t = target;
        if (t != null && t.isEditable()) {
            t.insertText(t.getCaretPosition(), text);
        }
    }

    public void backspace() {
        TextField t = target;
        if (t != null && t.isEditable() && t.getCaretPosition() > 0) {
            t.deletePreviousChar();
        }
    }

    public Node view() {
        return root;
    }
}
