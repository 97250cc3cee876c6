/**
 * eta as Dovetail's template/eta component configures it (autoescape with the
 * core's escapeHtml), for the servers without Dovetail: the same bytes out.
 */
import { escapeHtml } from 'dovetailjs'
import { Eta } from 'eta'

export const benchEta = (views: string): Eta => new Eta({ views, autoEscape: true, escapeFunction: escapeHtml, cache: true })
