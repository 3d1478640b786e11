import { crudResource, requiredString } from '../shared/crud';
import { clientField, includeDetails, searchFilter, sortFilters } from '../shared/commonFields';

/** Knowledge base articles (KBEntry), /KBArticle. List envelope `articles` (OAS-R KBEntry_View). */
export const kbArticle = crudResource({
	spec: {
		value: 'kbArticle',
		label: 'Knowledge Base Article',
		plural: 'Knowledge Base Articles',
		path: '/KBArticle',
		listKey: 'articles',
		paged: true,
		area: 'kb',
	},
	picker: { label: (row) => String(row.name ?? row.id) },
	operations: ['create', 'delete', 'get', 'getAll', 'update'],
	required: [requiredString('Title', 'title', 'name', 'Title of the article')],
	fields: [
		{ key: 'description', displayName: 'Body (Text)', type: 'html' },
		{ key: 'description_html', displayName: 'Body (HTML)', type: 'html' },
		{ key: 'resolution', displayName: 'Resolution (Text)', type: 'html' },
		{ key: 'resolution_html', displayName: 'Resolution (HTML)', type: 'html' },
		{ key: 'tag_string', displayName: 'Tags', type: 'string', description: 'Comma-separated tags' },
		{ key: 'type', displayName: 'Article Type', type: 'number', description: 'Article type as configured in Halo' },
		{ key: 'next_review_date', displayName: 'Next Review Date', type: 'dateTime' },
		{
			key: 'showforall',
			displayName: 'Show for All',
			type: 'boolean',
			description: 'Whether every user can see the article',
		},
		{ key: 'inactive', displayName: 'Inactive', type: 'boolean', description: 'Whether the article is hidden' },
	],
	updateOnly: [{ key: 'name', displayName: 'Title', type: 'string' }],
	filters: [
		searchFilter('title and body'),
		{ key: 'type', displayName: 'Article Type', type: 'number' },
		clientField,
		{
			key: 'includeinactive',
			displayName: 'Include Inactive',
			type: 'boolean',
			description: 'Whether to include hidden articles',
		},
		{
			key: 'needsreview',
			displayName: 'Needs Review',
			type: 'boolean',
			description: 'Whether to return only articles due for review',
		},
		...sortFilters('name'),
	],
	getOptions: [includeDetails('attachments, FAQ lists and related articles')],
	customFields: true,
});
