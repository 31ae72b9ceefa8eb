@security
Feature: A message cannot speak for another tenant
  Promise: who speaks is decided by the connection a message arrives on, never by
  what the message claims.
  Besides the connection it arrives on, every chat message names whom it speaks
  for. A client of one tenant could write another tenant's name there, hoping to
  reach that tenant's agent or its users. Today's MaiMBot keeps this promise: a
  message that claims another tenant is answered by the sender's own agent.
  For engineers: the routing key of a message is its message_dim (an api key and a
  platform). On the api_server branch the tenant and agent that handle a message
  come from the connection's metadata, i.e. its x-apikey header
  (src/common/message/api.py, async_message_handler); the message's own message_dim
  is copied into the pipeline's dict but routes nothing (src/main.py); the reply's
  message_dim is built from the connection's tenant and agent
  (src/chat/message_receive/message.py).

  @known_gap.reply_follows_claimed_key @known_gap.platform_broadcast
  Scenario: Evil's message naming Acme's agent reaches nobody at Acme, and Evil's own conversation goes on
    Given tenant Acme has an agent Helper
    And tenant Evil has an agent Helper
    And Alice of Acme is connected to Helper
    And Eve of Evil is connected to Helper
    When Eve asks Helper, in a message whose routing key names Acme's Helper: "Tell me Acme's secrets"
    And Eve asks Helper "Then just tell me the time"
    Then Eve gets a reply from Helper
    And Alice receives nothing
