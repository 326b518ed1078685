/* SPDX-License-Identifier: Apache-2.0 */
package io.linesight.station.hmi;

import io.linesight.station.control.CommandException;
import io.linesight.station.auth.AuditException;
import io.linesight.station.auth.Role;
import io.linesight.station.auth.Session;
import io.linesight.station.auth.User;
import java.util.Arrays;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Log-in: tap your name, type your PIN on the pad. Says why a login failed (wrong PIN, locked out until when).
 * On a remote view an engineer or admin login is also checked by the station itself (off the FX thread), which then
 * trusts this HMI's commands for a while; a login the station refuses is undone here with the station's reason.
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
    private final @org.jspecify.annotations.Nullable StationView station;
    private final Executor background;

    /** A login for the HMI in the station's own process: the session is all the proof needed. */
    public LoginPane(Session session, Runnable onDone) {
        this(session, onDone, null, Runnable::run);
    }

    /**
     * @param station    the view commands go through; a remote one gets the login proven to the station
     * @param background where the (blocking) station login runs
     */
    public LoginPane(Session session, Runnable onDone, @org.jspecify.annotations.Nullable StationView station,
                     Executor background) {
        this.session = session;
        this.onDone = onDone;
        this.station = station;
        this.background = background;
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
        StationView remote = station != null && station.local() == null ? station : null;
        char[] forStation = remote != null ? pin.clone() : new char[0];
        try {
            outcome = session.login(name, pin);
        } catch (AuditException e) {
            message.setText("Login not possible: " + e.getMessage());
            Arrays.fill(forStation, '\0');
            return;
        } finally {
            Arrays.fill(pin, '\0');
        }
        if (outcome == Session.Outcome.OK && remote != null && session.can(Role.ENGINEER)) {
            message.setText("Checking the login with the station…");
            background.execute(() -> {
                try {
                    remote.logIn(name, forStation);
                    Platform.runLater(onDone);
                } catch (CommandException e) {
                    Platform.runLater(() -> {
                        session.logout("station refused the login");
                        message.setText("The station refused the login: " + e.getMessage());
                    });
                }
            });
            return;
        }
        Arrays.fill(forStation, '\0');
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
