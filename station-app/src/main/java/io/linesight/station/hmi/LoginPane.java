/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.hmi.auth.AuditException;
import io.linesight.station.hmi.auth.Session;
import io.linesight.station.hmi.auth.User;
import java.util.Arrays;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Log-in: tap your name, type your PIN on the pad. Says why a login failed (wrong PIN, locked out until when).
 * FX thread only.
 */
public final class LoginPane {
    private final VBox root = new VBox();
    private final Session session;
    private final Runnable onDone;
    private final HBox names = new HBox();
    private final ToggleGroup group = new ToggleGroup();
    private final Label message = new Label("Tap your name, then type your PIN");
    private final PinPad pad;

    public LoginPane(Session session, Runnable onDone) {
        this.session = session;
        this.onDone = onDone;
        this.pad = new PinPad(this::submit);
        root.getStyleClass().add("login");
        names.getStyleClass().add("login-names");
        message.getStyleClass().add("login-message");
        Button cancel = new Button("Cancel");
        cancel.getStyleClass().add("big-button");
        cancel.setOnAction(e -> onDone.run());
        root.getChildren().addAll(message, names, pad.view(), cancel);
    }

    /** Rebuilds the name buttons from the users file; called each time the pane opens. */
    public void reset() {
        names.getChildren().clear();
        for (User u : session.users().users()) {
            ToggleButton b = new ToggleButton(u.name());
            b.getStyleClass().add("big-button");
            b.setUserData(u.name());
            b.setToggleGroup(group);
            names.getChildren().add(b);
        }
        message.setText("Tap your name, then type your PIN");
    }

    public void select(String name) {
        group.getToggles().stream().filter(t -> name.equals(t.getUserData())).findFirst()
                .ifPresent(t -> t.setSelected(true));
    }

    private void submit(char[] pin) {
        var selected = group.getSelectedToggle();
        if (selected == null) {
            message.setText("Tap your name first");
            return;
        }
        String name = (String) selected.getUserData();
        Session.Outcome outcome;
        try {
            outcome = session.login(name, pin);
        } catch (AuditException e) {
            message.setText("Login not possible: " + e.getMessage());
            return;
        } finally {
            Arrays.fill(pin, '\0');
        }
        switch (outcome) {
            case OK -> onDone.run();
            case WRONG_PIN -> message.setText("Wrong PIN for " + name);
            case LOCKED_OUT -> message.setText(name + " is locked out until "
                    + session.lockedUntil(name) + " (too many wrong PINs)");
        }
    }

    /** Says why the login opened (a screen that needs a role, kiosk exit). */
    public void note(String text) {
        message.setText(text + ": tap your name, then type your PIN");
    }

    public PinPad pad() {
        return pad;
    }

    public String message() {
        return message.getText();
    }

    public Node view() {
        return root;
    }
}
