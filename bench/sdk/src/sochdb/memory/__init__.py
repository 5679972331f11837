from .agent_memory import AgentMemory
