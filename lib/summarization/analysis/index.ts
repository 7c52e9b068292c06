import type { NormalizedMessage } from '../summarizer.ts';
import { type ActionItem, findActionItems } from './actions.ts';
import { buildConversation, type Conversation } from './conversation.ts';
import { type Decision, findDecisions } from './decisions.ts';
import { findQuestions, type Question } from './questions.ts';
import { splitTopics, type Topics } from './topics.ts';

/** What the conversation was: its topics, questions and answers, decisions and action items. */
export interface Analysis {
  conversation: Conversation;
  topics: Topics;
  questions: Question[];
  decisions: Decision[];
  actions: ActionItem[];
}

/** Analyses a window of messages (any order; they are put in time order). */
export function analyzeConversation(messages: NormalizedMessage[]): Analysis {
  const conversation = buildConversation(messages);
  const topics = splitTopics(conversation);
  return {
    conversation,
    topics,
    questions: findQuestions(conversation, topics),
    decisions: findDecisions(conversation, topics),
    actions: findActionItems(conversation, topics),
  };
}

export type { ActionItem, Conversation, Decision, Question, Topics };
