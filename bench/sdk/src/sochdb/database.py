class Database:
    """A tiny in-memory stand-in with the real SDK's shape."""

    def __init__(self, path=None):
        self.path = path
        self._data = {}

    def put(self, key, value):
        self._data[key] = value

    def get(self, key, default=None):
        return self._data.get(key, default)

    def close(self):
        self._data.clear()
