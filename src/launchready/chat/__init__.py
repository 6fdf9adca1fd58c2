"""The one chat client (issue 12): the product's own chat API as configured, or OpenAI-compatible."""

from launchready.chat.answer import AnswerEnd, ChatAnswer, RequestRecord, ToolCall, Usage
from launchready.chat.budget import Budget, BudgetExhausted, Estimate
from launchready.chat.client import ChatClient, ChatConfigError, Conversation, chat_route
from launchready.chat.template import TemplateError, Turn, fill_request

__all__ = [
    "AnswerEnd",
    "Budget",
    "BudgetExhausted",
    "ChatAnswer",
    "ChatClient",
    "ChatConfigError",
    "Conversation",
    "Estimate",
    "RequestRecord",
    "TemplateError",
    "ToolCall",
    "Turn",
    "Usage",
    "chat_route",
    "fill_request",
]
