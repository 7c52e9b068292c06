import type { NormalizedMessage } from '../summarizer.ts';
import { type ActionItem, type CompletedTask, findActionItems } from './actions.ts';
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
  /** Tasks taken on and reported done within the window. */
  completed: CompletedTask[];
}

/** Analyses a window of messages (any order; they are put in time order). */
export function analyzeConversation(messages: NormalizedMessage[]): Analysis {
  const conversation = buildConversation(messages);
  const topics = splitTopics(conversation);
  const completed: CompletedTask[] = [];
  const questions = findQuestions(conversation, topics);
  return {
    conversation,
    topics,
    questions,
    // A reply picking one of the plans a question offered is a decision: the questions come first.
    decisions: findDecisions(conversation, topics, questions),
    actions: findActionItems(conversation, topics, completed),
    completed,
  };
}

export type { ActionItem, CompletedTask, Conversation, Decision, Question, Topics };
