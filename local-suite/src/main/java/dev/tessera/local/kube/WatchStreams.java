package dev.tessera.local.kube;

import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The open watches of the local API and the events they are sent.
 *
 * <p>fabric8's mock turns every stored change into a watch event once for each watch it matches: it
 * parses the stored JSON into an object and writes that object out again, per watch, then hands the
 * message to a thread of that watch's own. The stored state is already the JSON a client reads, so
 * here an event is that state wrapped in {@code {"type":...,"object":...}}, built once per change
 * and type and sent to every matching watch as it is.
 *
 * <p>Order: a watch gets, when it opens, an {@code ADDED} event for every stored object it matches,
 * then every later change in the order the store saw them. Both happen under one monitor, which the
 * store's writer holds from the write to the last event sent ({@link #publishing}), so no change is
 * missed or sent twice between the snapshot and the stream.
 */
final class WatchStreams {

    private final Set<Stream> open = new CopyOnWriteArraySet<>();
    private final Object monitor = new Object();

    /** A change to the store, as {@link #publishing} reports it. */
    record Change(AttributeSet oldKey, String oldState, AttributeSet newKey, String newState) {
    }

    /**
     * A listener for a new watch on {@code query}; {@code snapshot} gives the stored entries the watch
     * starts from (it is called under the monitor, when the client's socket opens).
     */
    WebSocketListener watch(AttributeSet query, Function<AttributeSet, List<Map.Entry<AttributeSet, String>>> snapshot) {
        Stream stream = new Stream(query, snapshot);
        open.add(stream);
        return stream;
    }

    /** Runs a write of the store and sends the change it made to the matching watches, under the monitor. */
    void publishing(Supplier<Change> write) {
        synchronized (monitor) {
            Change change = write.get();
            if (change != null && !Objects.equals(change.oldState(), change.newState())) {
                publish(change);
            }
        }
    }

    private void publish(Change change) {
        String modified = null;
        String added = null;
        String deleted = null;
        for (Stream stream : open) {
            boolean matchesOld = change.oldKey() != null && change.oldKey().matches(stream.query);
            boolean matchesNew = change.newKey() != null && change.newKey().matches(stream.query);
            if (matchesOld && matchesNew) {
                stream.send(modified = modified != null ? modified : event("MODIFIED", change.newState()));
            } else if (matchesOld) {
                stream.send(deleted = deleted != null ? deleted : event("DELETED", change.oldState()));
            } else if (matchesNew) {
                stream.send(added = added != null ? added : event("ADDED", change.newState()));
            }
        }
    }

    static String event(String type, String object) {
        return "{\"type\":\"" + type + "\",\"object\":" + object + "}";
    }

    private final class Stream extends WebSocketListener {
        private final AttributeSet query;
        private final Function<AttributeSet, List<Map.Entry<AttributeSet, String>>> snapshot;
        private volatile WebSocket socket;

        Stream(AttributeSet query, Function<AttributeSet, List<Map.Entry<AttributeSet, String>>> snapshot) {
            this.query = query;
            this.snapshot = snapshot;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            synchronized (monitor) {
                List<String> initial = new ArrayList<>();
                for (Map.Entry<AttributeSet, String> entry : snapshot.apply(query)) {
                    if (entry.getKey().matches(query)) {
                        initial.add(event("ADDED", entry.getValue()));
                    }
                }
                initial.forEach(webSocket::send);
                socket = webSocket;
            }
        }

        void send(String message) {
            WebSocket s = socket;
            if (s != null) {
                s.send(message);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(code, reason);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            open.remove(this);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            open.remove(this);
            webSocket.close(1000, t.getMessage());
        }
    }
}
