extension MidiService {
    /// Opens a connection on an endpoint: from now on `receiver` gets every message that
    /// arrives there. Any number of connections may be open on one endpoint.
    public func openConnection(to id: EndpointDeviceId, receiver: any EndpointReceiver) throws(ConnectionError) -> ConnectionID {
        guard let node = nodesById[id] else { throw .endpointNotFound(id) }
        let connection = ConnectionID(handle: connectionSlots.insert(ConnectionRecord(endpoint: node, receiver: receiver)))
        node.connections.append(NodeConnection(id: connection, receiver: receiver, readsTimestamps: receiver.readsTimestamps))
        return connection
    }

    /// Closes a connection. Closing one that is already closed (or whose endpoint went away)
    /// does nothing. Returns whether a connection was closed.
    @discardableResult
    public func closeConnection(_ connection: ConnectionID) -> Bool {
        guard let record = connectionSlots.remove(connection.handle) else { return false }
        record.endpoint.connections.removeAll { $0.id == connection }
        return true
    }

    /// The endpoint a connection is open on; `nil` once it is closed.
    public func endpointId(of connection: ConnectionID) -> EndpointDeviceId? {
        connectionSlots.value(connection.handle)?.endpoint.model.id
    }
}
