from ..database import Database


class AgentMemory:
    def __init__(self, db=None):
        self.db = db or Database()

    def remember(self, key, text):
        self.db.put("memory/" + key, text)

    def recall(self, key):
        return self.db.get("memory/" + key)
